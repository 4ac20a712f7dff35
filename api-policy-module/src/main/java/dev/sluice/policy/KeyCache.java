package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The keys one event loop has recently found in a {@link KeyIndex}, by their raw bytes, so that a client sending
 * the same key again costs a few 64-byte comparisons instead of a SHA-256 and an index probe (several hundred
 * nanoseconds on a shared VM core, more when the index is not in cache).
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Validity.</b> A lookup answers exactly as the {@link KeyIndex} snapshot it is given would for the key's
 *       SHA-256. Each slot remembers the snapshot it was last checked in; a new snapshot keeps every slot, and a
 *       slot found under an older one is checked again in the current one before it answers, by the hash of its
 *       entry (one index probe, no SHA-256: the slot's key hashes to exactly that hash). The slot then answers the
 *       current snapshot's entry for it, revoked if the key was revoked, or is emptied if the snapshot no longer
 *       has the key. So a revoked or removed key takes effect on the loop's next request exactly as without the
 *       cache, and an admin change (a consumer or key added, a key revoked or rotated) costs the other cached keys
 *       one probe each, not a SHA-256.</li>
 *   <li><b>Comparison.</b> A 64-bit hash of the presented key, keyed with a random seed of this cache's own,
 *       chooses a set of {@value #WAYS} slots, and then the one slot of the set that holds a key of the same hash,
 *       if any (a set never holds two keys of one hash: a key replaces the one whose hash it shares). The
 *       presented key is compared with that slot's key in constant time: the length, and every 8-byte word the
 *       presented key occupies (both sides are zero after their length, so equal lengths and equal words are
 *       equal keys). So the work depends only on the presented key's length and on whether this loop has cached a
 *       key of its hash, and timing tells a client only whether it sent a key this loop knows: to be told more, it
 *       would have to send a key whose 64-bit hash under an unknown seed equals that of a key it does not know.
 *       (Why a hash before the comparison: with many consumers, comparing every slot of the set read
 *       {@value #WAYS} cache lines of keys per request, most of them other consumers' and out of cache.)</li>
 *   <li><b>What is cached.</b> Only keys that were found (valid or revoked), never unknown ones, so no client can
 *       fill the cache without keys. Keys longer than {@value #MAX_KEY_BYTES} bytes are never cached (they are
 *       hashed each time). The raw keys stay in this loop's memory only, never written anywhere or logged; they
 *       survive snapshot changes, and are wiped when their slot is emptied or reused, and from the old slots when
 *       the cache is resized.</li>
 *   <li><b>Size.</b> Twice as many slots as the snapshot has keys, at least {@value #MIN_SLOTS} and at most
 *       {@value #MAX_SLOTS} (each {@value #MAX_KEY_BYTES} key bytes and 24 of length, hash, check mark and
 *       entry reference: 176 bytes per key, 5.5 MiB per loop at most), so a loop that sees every consumer keeps
 *       nearly all of them: a set overflows only when more than {@value #WAYS} of the keys share it, and then a new key replaces
 *       one of that set in turn. The slots are resized only when a snapshot needs a different number of them,
 *       which is the only time the cache allocates; the cached keys move to the new slots.</li>
 * </ul>
 *
 * <p>Confined to its event loop. Allocation-free between resizes.
 */
final class KeyCache {

    /** The longest key cached; ours are 46 bytes ({@code sk_} and 43 base64url characters). */
    static final int MAX_KEY_BYTES = 64;
    /** Slots per set: a key may be cached in any of them. */
    static final int WAYS = 4;
    static final int MIN_SLOTS = 1024;
    static final int MAX_SLOTS = 1 << 16;

    private static final long MIX = 0x9E3779B97F4A7C15L; // odd: multiplying by it loses no bits
    // reads 8 key bytes at a time: the comparison and the hash are 8 loads each
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] keys = new byte[MIN_SLOTS * MAX_KEY_BYTES];
    private int[] lengths = new int[MIN_SLOTS]; // 0: empty
    /**
     * Each slot's key's {@link #hash}, 0 when empty: a key whose hash is 0 may be sent to an empty slot, fail the
     * comparison by its length and be hashed again, a cost one key in 2^64 may pay, never a wrong answer.
     */
    private long[] hashes = new long[MIN_SLOTS];
    private KeyIndex.Entry[] entries = new KeyIndex.Entry[MIN_SLOTS];
    /** The {@link #generation} each slot's entry was found or last checked in. */
    private long[] checkedIn = new long[MIN_SLOTS];
    private int setMask = MIN_SLOTS / WAYS - 1;
    private KeyIndex snapshot = KeyIndex.EMPTY;
    // counts snapshots seen rather than keep a reference per slot, which would pin old snapshots in memory; a long
    // cannot wrap round to a stale slot's mark
    private long generation;
    private final long seed;
    private int victim; // the way a full set gives up next, in turn
    private long hits;
    private long rechecks;

    /** A cache whose hash is keyed with a seed from a strong random source. */
    KeyCache() {
        this(new SecureRandom().nextLong());
    }

    /** A cache whose hash is keyed with {@code seed}; for tests, which need to know it to make keys of one hash. */
    KeyCache(long seed) {
        this.seed = seed;
    }

    /**
     * The entry for the key in {@code key[0..length)} in {@code index}, when the cache has the key; otherwise
     * {@code null}. {@code key} must hold at least {@value #MAX_KEY_BYTES} bytes, zero after {@code length};
     * {@code 0 < length <= MAX_KEY_BYTES}.
     */
    KeyIndex.Entry find(KeyIndex index, byte[] key, int length) {
        if (index != snapshot) {
            observe(index);
        }
        long hash = hash(key, 0, length);
        int found = slotOf(hash);
        if (found >= 0) { // constant time from here: every word compared in full, no early exit
            long diff = lengths[found] ^ length;
            for (int i = 0, base = found * MAX_KEY_BYTES, end = wordBytes(length); i < end; i += Long.BYTES) {
                diff |= (long) LONGS.get(keys, base + i) ^ (long) LONGS.get(key, i);
            }
            found = diff == 0 ? found : -1;
        }
        if (found < 0 || checkedIn[found] != generation && !recheck(found)) {
            return null;
        }
        hits++;
        return entries[found];
    }

    /**
     * Remembers that {@code key[0..length)} is {@code entry} in {@code index}, a key {@link #find} did not have;
     * {@code entry} must be what {@code index} has for the key's SHA-256. Same buffer rules as {@link #find}.
     */
    void put(KeyIndex index, byte[] key, int length, KeyIndex.Entry entry) {
        if (index != snapshot) {
            observe(index);
        }
        place(key, 0, length, entry, generation);
    }

    /** Lookups answered from the cache so far; for tests. */
    long hits() {
        return hits;
    }

    /** Slots checked again because they were found under an older snapshot; for tests. */
    long rechecks() {
        return rechecks;
    }

    /** Slots the cache has now; for tests. */
    int slots() {
        return lengths.length;
    }

    /** The number of slots for a snapshot of {@code keys} keys: a power of two. */
    static int slotsFor(int keys) {
        long wanted = Math.max(MIN_SLOTS, 2L * keys);
        return (int) Math.min(MAX_SLOTS, Long.highestOneBit(wanted - 1) << 1);
    }

    /** A new snapshot: every slot now needs a check before it answers; resized only when the size differs. */
    private void observe(KeyIndex index) {
        int slots = slotsFor(index.size());
        if (slots != lengths.length) {
            resize(slots);
        }
        snapshot = index;
        generation++;
    }

    /**
     * Checks a slot found under an older snapshot in the current one, by its entry's hash, which is the SHA-256
     * of the slot's key: the answer is what hashing the key would find. Keeps the current entry, or empties the
     * slot when the snapshot no longer has the key.
     */
    private boolean recheck(int slot) {
        rechecks++;
        KeyIndex.Entry current = snapshot.find(entries[slot].sha256());
        if (current == null) {
            clear(slot);
            return false;
        }
        entries[slot] = current; // the same key, perhaps revoked since: the current entry says so
        checkedIn[slot] = generation;
        return true;
    }

    /** The slot whose key has the hash {@code hash}, or -1: a branch per way, on the hash alone. */
    private int slotOf(long hash) {
        for (int slot = set(hash) * WAYS, end = slot + WAYS; slot < end; slot++) {
            if (hashes[slot] == hash) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Puts a key into the slot of its set that holds a key of its hash, else into a free way, else into the set's
     * next victim.
     */
    private void place(byte[] from, int offset, int length, KeyIndex.Entry entry, long checked) {
        long hash = hash(from, offset, length);
        int slot = slotOf(hash);
        int first = set(hash) * WAYS;
        for (int way = 0; way < WAYS && slot < 0; way++) {
            if (lengths[first + way] == 0) {
                slot = first + way;
            }
        }
        if (slot < 0) {
            slot = first + victim;
            victim = (victim + 1) & (WAYS - 1);
        }
        System.arraycopy(from, offset, keys, slot * MAX_KEY_BYTES, MAX_KEY_BYTES);
        lengths[slot] = length;
        hashes[slot] = hash;
        entries[slot] = entry;
        checkedIn[slot] = checked;
    }

    /** Moves the cached keys to {@code slots} new slots, each keeping its check mark, and wipes the old ones. */
    private void resize(int slots) {
        byte[] oldKeys = keys;
        int[] oldLengths = lengths;
        long[] oldHashes = hashes;
        KeyIndex.Entry[] oldEntries = entries;
        long[] oldChecked = checkedIn;
        keys = new byte[slots * MAX_KEY_BYTES];
        lengths = new int[slots];
        hashes = new long[slots];
        entries = new KeyIndex.Entry[slots];
        checkedIn = new long[slots];
        setMask = slots / WAYS - 1;
        for (int slot = 0; slot < oldLengths.length; slot++) {
            if (oldLengths[slot] != 0) { // a smaller cache may not keep them all: a full set gives one up
                place(oldKeys, slot * MAX_KEY_BYTES, oldLengths[slot], oldEntries[slot], oldChecked[slot]);
            }
        }
        Arrays.fill(oldKeys, (byte) 0); // wipe old keys rather than leave them to the garbage collector
        Arrays.fill(oldHashes, 0);
    }

    private void clear(int slot) {
        Arrays.fill(keys, slot * MAX_KEY_BYTES, (slot + 1) * MAX_KEY_BYTES, (byte) 0);
        lengths[slot] = 0;
        hashes[slot] = 0;
        entries[slot] = null;
        checkedIn[slot] = 0;
    }

    /** The set a key falls in under the current size; for tests. */
    int set(byte[] key, int length) {
        return set(hash(key, 0, length));
    }

    private int set(long hash) {
        return (int) (hash >>> 40) & setMask; // the multiply mixes upwards: take high bits
    }

    /**
     * The seeded hash of the key in {@code key[offset..offset + length)}, zero-padded to {@value #MAX_KEY_BYTES}
     * bytes: a multiply-xor over its 8-byte words (not for secrecy; the seed only keeps a client from choosing keys
     * of one hash, or of one set, without knowing it).
     */
    private long hash(byte[] key, int offset, int length) {
        long h = seed ^ length;
        for (int i = 0, end = wordBytes(length); i < end; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(key, offset + i)) * MIX;
        }
        return h;
    }

    /** The bytes of the whole 8-byte words a key of {@code length} bytes occupies (46 bytes: 48). */
    private static int wordBytes(int length) {
        return (length + Long.BYTES - 1) & -Long.BYTES;
    }
}
