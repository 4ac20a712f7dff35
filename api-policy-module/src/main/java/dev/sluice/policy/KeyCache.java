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
 *   <li><b>Validity.</b> Every entry belongs to the one {@link KeyIndex} snapshot it was found in. A lookup with
 *       any other snapshot empties the cache first, so a revoked or added key takes effect on the loop's next
 *       request exactly as without the cache.</li>
 *   <li><b>Comparison.</b> A set of {@value #WAYS} slots is chosen by a hash of the presented key alone, and the
 *       presented key is compared with every slot of the set in constant time over all {@value #MAX_KEY_BYTES}
 *       bytes and the length, so timing tells a client only whether it sent a key this loop already knows.</li>
 *   <li><b>What is cached.</b> Only keys that were found (valid or revoked), never unknown ones, so no client can
 *       fill the cache without keys. Keys longer than {@value #MAX_KEY_BYTES} bytes are never cached (they are
 *       hashed each time). The raw keys stay in this loop's memory only: never written anywhere or logged, and
 *       wiped when the snapshot changes.</li>
 *   <li><b>Size.</b> Twice as many slots as the snapshot has keys, at least {@value #MIN_SLOTS} and at most
 *       {@value #MAX_SLOTS} ({@value #MAX_KEY_BYTES} bytes each: 128 bytes per key, 4 MiB per loop at most), so a
 *       loop that sees every consumer keeps nearly all of them: a set overflows only when more than
 *       {@value #WAYS} of the keys share it, and then a new key replaces one of that set in turn. The slots are
 *       sized when a snapshot is first seen, which is the only time the cache allocates.</li>
 * </ul>
 *
 * <p>Confined to its event loop. Allocation-free between snapshot changes.
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
    private int setMask = MIN_SLOTS / WAYS - 1;
    private KeyIndex snapshot = KeyIndex.EMPTY;
    private int victim; // the way a full set gives up next, in turn
    private long hits;

    /**
     * The entry cached for the key in {@code key[0..length)}, or {@code null}. {@code key} must hold at least
     * {@value #MAX_KEY_BYTES} bytes, zero after {@code length}; {@code 0 < length <= MAX_KEY_BYTES}.
     */
    KeyIndex.Entry find(KeyIndex index, byte[] key, int length) {
        if (index != snapshot) {
            reset(index);
            return null;
        }
        int first = set(key, length) * WAYS;
        int found = -1;
        for (int way = 0; way < WAYS; way++) { // constant time: every way compared in full, no early exit
            int slot = first + way;
            int base = slot * MAX_KEY_BYTES;
            long diff = lengths[slot] ^ length; // an empty slot has length 0, never a key's
            for (int i = 0; i < MAX_KEY_BYTES; i += Long.BYTES) {
                diff |= (long) LONGS.get(keys, base + i) ^ (long) LONGS.get(key, i);
            }
            found = diff == 0 ? slot : found;
        }
        if (found < 0) {
            return null;
        }
        hits++;
        return entries[found];
    }

    /**
     * Remembers that {@code key[0..length)} is {@code entry} in {@code index}, a key {@link #find} did not have;
     * same buffer rules as {@link #find}.
     */
    void put(KeyIndex index, byte[] key, int length, KeyIndex.Entry entry) {
        if (index != snapshot) {
            reset(index);
        }
        int first = set(key, length) * WAYS;
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
        System.arraycopy(key, 0, keys, slot * MAX_KEY_BYTES, MAX_KEY_BYTES);
        lengths[slot] = length;
        entries[slot] = entry;
    }

    /** Lookups answered from the cache so far; for tests. */
    long hits() {
        return hits;
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

    private void reset(KeyIndex index) {
        Arrays.fill(keys, (byte) 0); // wipe old keys rather than keep them in memory
        Arrays.fill(lengths, 0);
        Arrays.fill(entries, null);
        int slots = slotsFor(index.size());
        if (slots != lengths.length) {
            keys = new byte[slots * MAX_KEY_BYTES];
            lengths = new int[slots];
            entries = new KeyIndex.Entry[slots];
            setMask = slots / WAYS - 1;
        }
        snapshot = index;
    }

    /** The set a key falls in under the current size; for tests. */
    int set(byte[] key, int length) {
        long h = length;
        for (int i = 0; i < MAX_KEY_BYTES; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(key, i)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h >>> 40) & setMask; // the multiply mixes upwards: take high bits
    }
}
