package dev.sluice.policy;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Hashes a presented key and finds it in a {@link KeyIndex}. One per event loop, confined to it: it reuses its
 * digest and buffers, so a lookup allocates nothing. The key's bytes are wiped from the buffer after hashing.
 */
final class KeyHasher {

    /** Longer values cannot be keys (ours are 46 characters); they are refused without hashing. */
    static final int MAX_KEY_CHARS = 256;

    private final MessageDigest digest = ApiKeys.newDigest();
    private final byte[] hash = new byte[32];
    private final byte[] keyBytes = new byte[MAX_KEY_CHARS];

    /**
     * The entry for the key in {@code value} between {@code from} and {@code to} (surrounding spaces ignored),
     * or {@code null} when it is empty, too long or unknown.
     */
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
        for (int j = 0; j < n; j++) {
            keyBytes[j] = (byte) value.charAt(from + j); // valid keys are ASCII; anything else cannot match
        }
        digest.update(keyBytes, 0, n);
        Arrays.fill(keyBytes, 0, n, (byte) 0); // do not keep key material around
        try {
            digest.digest(hash, 0, hash.length);
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-256 digest is 32 bytes", e); // cannot happen: the buffer fits
        }
        return index.find(hash);
    }
}
