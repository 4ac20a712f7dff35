package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * An immutable snapshot of every known key hash, published by the admin thread with one volatile write and read
 * by the event loops per request. Open addressing on the first 8 bytes of the SHA-256, then a constant-time
 * comparison of the whole hash (all four 64-bit words, no early exit). The probe sequence depends only on a hash
 * of the presented key, which tells an attacker nothing about stored keys. Lookups allocate nothing.
 *
 * <p>The hashes are kept inline, four words per slot in one array, so a lookup reads one cache line per probe and
 * touches an {@link Entry} only when it matched: with many consumers the entries are rarely in cache.
 *
 * <p>Revoked keys stay in the snapshot, marked, for the life of the process, so their 401s are counted against
 * their consumer.
 */
final class KeyIndex {

    /** One key hash and whose it is. */
    record Entry(byte[] sha256, Consumer consumer, String keyId, boolean revoked) {
    }

    static final KeyIndex EMPTY = new KeyIndex(List.of());

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long[] hashes; // slot i: words 4i to 4i+3; word 4i is the prefix
    private final Entry[] entries;
    private final int mask;
    private final int size;

    KeyIndex(List<Entry> all) {
        int capacity = Integer.highestOneBit(Math.max(4, all.size() * 2 + 1)) << 1; // load factor below 1/2
        hashes = new long[capacity * 4];
        entries = new Entry[capacity];
        mask = capacity - 1;
        size = all.size();
        for (Entry e : all) {
            byte[] h = e.sha256();
            int slot = slot(word(h, 0));
            while (entries[slot] != null) {
                slot = (slot + 1) & mask;
            }
            for (int w = 0; w < 4; w++) {
                hashes[slot * 4 + w] = word(h, w);
            }
            entries[slot] = e;
        }
    }

    /** The entry whose hash equals {@code sha256} (32 bytes), or {@code null}. */
    Entry find(byte[] sha256) {
        long w0 = word(sha256, 0);
        long w1 = word(sha256, 1);
        long w2 = word(sha256, 2);
        long w3 = word(sha256, 3);
        for (int slot = slot(w0); entries[slot] != null; slot = (slot + 1) & mask) {
            int at = slot * 4;
            // every word is compared whatever the others gave: constant time in the stored hash
            if ((hashes[at] ^ w0 | hashes[at + 1] ^ w1 | hashes[at + 2] ^ w2 | hashes[at + 3] ^ w3) == 0) {
                return entries[slot];
            }
        }
        return null;
    }

    /** The number of keys, revoked ones included. */
    int size() {
        return size;
    }

    private int slot(long prefix) {
        return (int) (prefix ^ (prefix >>> 32)) & mask;
    }

    /** Word {@code w} (0 to 3) of a 32-byte hash, big-endian: word 0 is the prefix that picks the slot. */
    private static long word(byte[] h, int w) {
        return (long) WORDS.get(h, w * 8);
    }
}
