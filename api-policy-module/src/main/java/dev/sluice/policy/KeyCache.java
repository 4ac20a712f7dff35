package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The keys one event loop has recently found in a {@link KeyIndex}, by their raw bytes, so that a client sending
 * the same key again costs a 64-byte comparison instead of a SHA-256 and an index probe (several hundred
 * nanoseconds on a shared VM core, more when the index is not in cache).
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Validity.</b> Every entry belongs to the one {@link KeyIndex} snapshot it was found in. A lookup with
 *       any other snapshot empties the cache first, so a revoked or added key takes effect on the loop's next
 *       request exactly as without the cache.</li>
 *   <li><b>Comparison.</b> A slot is chosen by a hash of the presented key alone, and the presented key is compared
 *       with the slot's key in constant time over all {@value #MAX_KEY_BYTES} bytes and the length, so timing
 *       tells a client only whether it sent a key this loop already knows.</li>
 *   <li><b>What is cached.</b> Only keys that were found (valid or revoked), never unknown ones, so no client can
 *       fill the cache without keys. Keys longer than {@value #MAX_KEY_BYTES} bytes are never cached (they are
 *       hashed each time). The raw keys stay in this loop's memory only: never written anywhere or logged, and
 *       wiped when the snapshot changes.</li>
 *   <li><b>Shape.</b> {@value #SLOTS} direct-mapped slots: a new key replaces the one in its slot.</li>
 * </ul>
 *
 * <p>Confined to its event loop. Allocation-free.
 */
final class KeyCache {

    /** The longest key cached; ours are 46 bytes ({@code sk_} and 43 base64url characters). */
    static final int MAX_KEY_BYTES = 64;
    static final int SLOTS = 1024;

    // reads 8 key bytes at a time: the comparison and the hash are 8 loads each
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] keys = new byte[SLOTS * MAX_KEY_BYTES];
    private final int[] lengths = new int[SLOTS]; // 0: empty
    private final KeyIndex.Entry[] entries = new KeyIndex.Entry[SLOTS];
    private KeyIndex snapshot = KeyIndex.EMPTY;
    private long hits;

    /**
     * The entry cached for the key in {@code key[0..length)}, or {@code null}. {@code key} must hold at least
     * {@value #MAX_KEY_BYTES} bytes, zero after {@code length}; {@code 0 < length <= MAX_KEY_BYTES}.
     */
    KeyIndex.Entry find(KeyIndex index, byte[] key, int length) {
        if (index != snapshot) {
            clear(index);
            return null;
        }
        int slot = slot(key, length);
        int base = slot * MAX_KEY_BYTES;
        long diff = lengths[slot] ^ length;
        for (int i = 0; i < MAX_KEY_BYTES; i += Long.BYTES) { // constant time: no early exit
            diff |= (long) LONGS.get(keys, base + i) ^ (long) LONGS.get(key, i);
        }
        if (diff != 0) {
            return null;
        }
        hits++;
        return entries[slot];
    }

    /** Remembers that {@code key[0..length)} is {@code entry} in {@code index}; same buffer rules as {@link #find}. */
    void put(KeyIndex index, byte[] key, int length, KeyIndex.Entry entry) {
        if (index != snapshot) {
            clear(index);
        }
        int slot = slot(key, length);
        System.arraycopy(key, 0, keys, slot * MAX_KEY_BYTES, MAX_KEY_BYTES);
        lengths[slot] = length;
        entries[slot] = entry;
    }

    /** Lookups answered from the cache so far; for tests. */
    long hits() {
        return hits;
    }

    private void clear(KeyIndex index) {
        Arrays.fill(keys, (byte) 0); // wipe old keys rather than keep them in memory
        Arrays.fill(lengths, 0);
        Arrays.fill(entries, null);
        snapshot = index;
    }

    private static int slot(byte[] key, int length) {
        long h = length;
        for (int i = 0; i < MAX_KEY_BYTES; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(key, i)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h >>> 40) & (SLOTS - 1); // the multiply mixes upwards: take high bits
    }
}
