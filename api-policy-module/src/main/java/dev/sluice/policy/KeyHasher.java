package dev.sluice.policy;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Finds a presented key in a {@link KeyIndex}: from this loop's {@link KeyCache} when the loop has found the key
 * before (checked again in the current snapshot when that changed since), otherwise by its SHA-256 and the index's
 * constant-time comparison (and then the cache learns it). One per event loop, confined to it: it reuses its
 * digest and buffers, so a lookup allocates nothing. The key's bytes are wiped from the working buffer after each
 * lookup.
 */
final class KeyHasher {

    /** Longer values cannot be keys (ours are 46 characters); they are refused without hashing. */
    static final int MAX_KEY_CHARS = 256;

    private final MessageDigest digest = ApiKeys.newDigest();
    private final byte[] hash = new byte[32];
    private final byte[] keyBytes = new byte[MAX_KEY_CHARS]; // zero between lookups: the cache compares padding too
    private final KeyCache cache = new KeyCache();
    private long hashes;

    /**
     * The entry for the key in {@code value} between {@code from} and {@code to} (surrounding spaces ignored),
     * or {@code null} when it is empty, too long or unknown.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy, no encoder, no array
    KeyIndex.Entry find(KeyIndex index, String value, int from, int to) {
        while (from < to && value.charAt(from) == ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
            to--;
        }
        int n = to - from;
        if (n == 0 || n > MAX_KEY_CHARS) {
            return null;
        }
        // the low 8 bits of each char, as a cast would: valid keys are ASCII; anything else cannot match
        value.getBytes(from, to, keyBytes, 0);
        boolean cacheable = n <= KeyCache.MAX_KEY_BYTES;
        KeyIndex.Entry entry = cacheable ? cache.find(index, keyBytes, n) : null;
        if (entry == null) {
            entry = index.find(sha256(n));
            if (entry != null && cacheable) {
                cache.put(index, keyBytes, n, entry);
            }
        }
        Arrays.fill(keyBytes, 0, n, (byte) 0); // do not keep key material around
        return entry;
    }

    /** Lookups answered without hashing; for tests. */
    long cacheHits() {
        return cache.hits();
    }

    /** Cached keys checked again in a newer snapshot; for tests. */
    long cacheRechecks() {
        return cache.rechecks();
    }

    /** Keys hashed so far; for tests. */
    long hashes() {
        return hashes;
    }

    private byte[] sha256(int n) {
        hashes++;
        digest.update(keyBytes, 0, n);
        try {
            digest.digest(hash, 0, hash.length);
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-256 digest is 32 bytes", e); // cannot happen: the buffer fits
        }
        return hash;
    }
}
