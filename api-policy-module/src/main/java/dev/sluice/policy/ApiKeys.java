package dev.sluice.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes API keys and key ids, and hashes keys. A key is 256 random bits from {@link SecureRandom}, written as
 * {@code sk_} and 43 base64url characters; a key id is 64 random bits in hex, public and safe to show. Only a
 * key's SHA-256 is ever kept. Thread-safe; for the admin thread (the data plane hashes with its own digest).
 */
final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    static final String KEY_PREFIX = "sk_";

    private ApiKeys() {
    }

    /** A new secret key, to be shown once. */
    static String newKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return KEY_PREFIX + BASE64URL.encodeToString(secret);
    }

    /** A new public key id. */
    static String newKeyId() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** The SHA-256 of the key's bytes (keys are ASCII). */
    static byte[] sha256(String key) {
        return newDigest().digest(key.getBytes(StandardCharsets.US_ASCII));
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256, which every Java SE runtime must have", e);
        }
    }
}
