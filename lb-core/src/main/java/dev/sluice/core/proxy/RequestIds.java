package dev.sluice.core.proxy;

import java.security.SecureRandom;

/**
 * Generates {@code X-Request-Id} values: a random 64-bit per-loop prefix and a counter, as 32 hex digits.
 * Unique across loops and restarts with overwhelming probability, and cheap: no random draw per request.
 * Confined to its event loop.
 *
 * <p>Allocation: one 32-byte {@link Id} per id. Its digits are computed when read (the request encoder reads
 * them once, straight into the outgoing buffer), so no text is built unless someone asks for a {@code String}.
 */
final class RequestIds {

    private final long prefix;
    private long counter;

    RequestIds() {
        this.prefix = new SecureRandom().nextLong();
    }

    CharSequence next() {
        return new Id(prefix, ++counter);
    }

    /** An immutable request id: 16 hex digits of the prefix, then 16 of the counter, lower case. */
    static final class Id implements CharSequence {
        private static final int LENGTH = 32;
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private final long prefix;
        private final long counter;

        Id(long prefix, long counter) {
            this.prefix = prefix;
            this.counter = counter;
        }

        @Override
        public int length() {
            return LENGTH;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= LENGTH) {
                throw new IndexOutOfBoundsException(index);
            }
            long word = index < 16 ? prefix : counter;
            int shift = (15 - (index & 15)) * 4;
            return HEX[(int) ((word >>> shift) & 0xF)];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            char[] out = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                out[i] = charAt(i);
            }
            return new String(out);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Id other && other.prefix == prefix && other.counter == counter;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(prefix) * 31 + Long.hashCode(counter);
        }
    }
}
