package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 *   <li><b>Comparison.</b> A set of {@value #WAYS} slots is chosen by a hash of the presented key alone, and the
 *       presented key is compared with every slot of the set in constant time: the length, and every 8-byte word
 *       the presented key occupies (both sides are zero after their length, so equal lengths and equal words are
 *       equal keys). The work depends on the presented key's length only, so timing tells a client only whether
 *       it sent a key this loop already knows.</li>
 *   <li><b>What is cached.</b> Only keys that were found (valid or revoked), never unknown ones, so no client can
 *       fill the cache without keys. Keys longer than {@value #MAX_KEY_BYTES} bytes are never cached (they are
 *       hashed each time). The raw keys stay in this loop's memory only, never written anywhere or logged; they
 *       survive snapshot changes, and are wiped when their slot is emptied or reused, and from the old slots when
 *       the cache is resized.</li>
 *   <li><b>Size.</b> Twice as many slots as the snapshot has keys, at least {@value #MIN_SLOTS} and at most
 *       {@value #MAX_SLOTS} (each {@value #MAX_KEY_BYTES} key bytes and 16 of length, check mark and entry
 *       reference: 160 bytes per key, 5 MiB per loop at most), so a loop that sees every consumer keeps nearly all
 *       of them: a set overflows only when more than {@value #WAYS} of the keys share it, and then a new key replaces
 *       one of that set in turn. The slots are resized only when a snapshot needs a different number of them,
 *       which is the only time the cache allocates; the cached keys move to the new slots.</li>
 * </ul>
 *
 * <p>Confined to its event loop. Allocation-free between resizes.
 */
final class KeyCache {

    /** The longest key cached; ours are 46 bytes ({@code sk_} and 43 base64url characters). */
    static final int MAX_KEY_BYTES = 64;
    /** Slots per set: a lookup compares the presented key with all of them. */
    static final int WAYS = 4;
    static final int MIN_SLOTS = 1024;
    static final int MAX_SLOTS = 1 << 16;

    // reads 8 key bytes at a time: the comparison and the hash are 8 loads each
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] keys = new byte[MIN_SLOTS * MAX_KEY_BYTES];
    private int[] lengths = new int[MIN_SLOTS]; // 0: empty
    private KeyIndex.Entry[] entries = new KeyIndex.Entry[MIN_SLOTS];
    /** The {@link #generation} each slot's entry was found or last checked in. */
    private long[] checkedIn = new long[MIN_SLOTS];
    private int setMask = MIN_SLOTS / WAYS - 1;
    private KeyIndex snapshot = KeyIndex.EMPTY;
    // counts snapshots seen rather than keep a reference per slot, which would pin old snapshots in memory; a long
    // cannot wrap round to a stale slot's mark
    private long generation;
    private int victim; // the way a full set gives up next, in turn
    private long hits;
    private long rechecks;

    /**
     * The entry for the key in {@code key[0..length)} in {@code index}, when the cache has the key; otherwise
     * {@code null}. {@code key} must hold at least {@value #MAX_KEY_BYTES} bytes, zero after {@code length};
     * {@code 0 < length <= MAX_KEY_BYTES}.
     */
    KeyIndex.Entry find(KeyIndex index, byte[] key, int length) {
        if (index != snapshot) {
            observe(index);
        }
        int first = set(key, 0, length) * WAYS;
        int words = wordBytes(length);
        int found = -1;
        for (int way = 0; way < WAYS; way++) { // constant time: every way compared in full, no early exit
            int slot = first + way;
            int base = slot * MAX_KEY_BYTES;
            long diff = lengths[slot] ^ length; // an empty slot has length 0, never a key's
            for (int i = 0; i < words; i += Long.BYTES) {
                diff |= (long) LONGS.get(keys, base + i) ^ (long) LONGS.get(key, i);
            }
            found = diff == 0 ? slot : found;
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

    /** Puts a key into a free way of its set, or into the set's next victim. */
    private void place(byte[] from, int offset, int length, KeyIndex.Entry entry, long checked) {
        int first = set(from, offset, length) * WAYS;
        int slot = -1;
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
        entries[slot] = entry;
        checkedIn[slot] = checked;
    }

    /** Moves the cached keys to {@code slots} new slots, each keeping its check mark, and wipes the old ones. */
    private void resize(int slots) {
        byte[] oldKeys = keys;
        int[] oldLengths = lengths;
        KeyIndex.Entry[] oldEntries = entries;
        long[] oldChecked = checkedIn;
        keys = new byte[slots * MAX_KEY_BYTES];
        lengths = new int[slots];
        entries = new KeyIndex.Entry[slots];
        checkedIn = new long[slots];
        setMask = slots / WAYS - 1;
        for (int slot = 0; slot < oldLengths.length; slot++) {
            if (oldLengths[slot] != 0) { // a smaller cache may not keep them all: a full set gives one up
                place(oldKeys, slot * MAX_KEY_BYTES, oldLengths[slot], oldEntries[slot], oldChecked[slot]);
            }
        }
        Arrays.fill(oldKeys, (byte) 0); // wipe old keys rather than leave them to the garbage collector
    }

    private void clear(int slot) {
        Arrays.fill(keys, slot * MAX_KEY_BYTES, (slot + 1) * MAX_KEY_BYTES, (byte) 0);
        lengths[slot] = 0;
        entries[slot] = null;
        checkedIn[slot] = 0;
    }

    /** The set a key falls in under the current size; for tests. */
    int set(byte[] key, int length) {
        return set(key, 0, length);
    }

    /** The set of the key in {@code key[offset..offset + length)}, zero-padded to {@value #MAX_KEY_BYTES} bytes. */
    private int set(byte[] key, int offset, int length) {
        long h = length;
        for (int i = 0, end = wordBytes(length); i < end; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(key, offset + i)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h >>> 40) & setMask; // the multiply mixes upwards: take high bits
    }

    /** The bytes of the whole 8-byte words a key of {@code length} bytes occupies (46 bytes: 48). */
    private static int wordBytes(int length) {
        return (length + Long.BYTES - 1) & -Long.BYTES;
    }
}
