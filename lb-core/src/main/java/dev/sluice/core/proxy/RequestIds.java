package dev.sluice.core.proxy;

import java.security.SecureRandom;

/**
 * Generates {@code X-Request-Id} values: a random 64-bit per-loop prefix and a counter, as 32 hex digits.
 * Unique across loops and restarts with overwhelming probability, and cheap: no random draw per request.
 * Confined to its event loop.
 */
final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final long prefix;
    private long counter;

    RequestIds() {
        this.prefix = new SecureRandom().nextLong();
    }

    String next() {
        char[] out = new char[32];
        writeHex(out, 0, prefix);
        writeHex(out, 16, ++counter);
        return new String(out);
    }

    private static void writeHex(char[] out, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }
}
