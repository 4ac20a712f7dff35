package dev.sluice.policy;

import java.security.MessageDigest;
import java.util.List;

/**
 * An immutable snapshot of every known key hash, published by the admin thread with one volatile write and read
 * by the event loops per request. Open addressing on the first 8 bytes of the SHA-256, then a constant-time
 * comparison of the whole hash ({@link MessageDigest#isEqual}). The probe sequence depends only on a hash of the
 * presented key, which tells an attacker nothing about stored keys. Lookups allocate nothing.
 *
 * <p>Revoked keys stay in the snapshot, marked, for the life of the process, so their 401s are counted against
 * their consumer.
 */
final class KeyIndex {

    /** One key hash and whose it is. */
    record Entry(byte[] sha256, Consumer consumer, String keyId, boolean revoked) {
    }

    static final KeyIndex EMPTY = new KeyIndex(List.of());

    private final long[] prefixes;
    private final Entry[] entries;
    private final int mask;

    KeyIndex(List<Entry> all) {
        int capacity = Integer.highestOneBit(Math.max(4, all.size() * 2 + 1)) << 1; // load factor below 1/2
        prefixes = new long[capacity];
        entries = new Entry[capacity];
        mask = capacity - 1;
        for (Entry e : all) {
            long prefix = prefix(e.sha256());
            int slot = slot(prefix);
            while (entries[slot] != null) {
                slot = (slot + 1) & mask;
            }
            prefixes[slot] = prefix;
            entries[slot] = e;
        }
    }

    /** The entry whose hash equals {@code sha256} (32 bytes), or {@code null}. */
    Entry find(byte[] sha256) {
        long prefix = prefix(sha256);
        for (int slot = slot(prefix); entries[slot] != null; slot = (slot + 1) & mask) {
            if (prefixes[slot] == prefix && MessageDigest.isEqual(entries[slot].sha256(), sha256)) {
                return entries[slot];
            }
        }
        return null;
    }

    private int slot(long prefix) {
        return (int) (prefix ^ (prefix >>> 32)) & mask;
    }

    private static long prefix(byte[] h) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (h[i] & 0xFF);
        }
        return p;
    }
}
