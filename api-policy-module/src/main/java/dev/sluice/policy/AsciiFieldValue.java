package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A header field value written in place into a reused byte buffer, for values that change with every request
 * (the {@code RateLimit} field), so that rendering one costs no string. It is a {@link CharSequence}: Netty's
 * headers keep it as it is, and the response encoder copies its bytes when it writes the head.
 *
 * <p>Contract: the value is what was last written; rewriting it changes every header holding it. Its owner must
 * therefore not rewrite it before the head it was put in has been written: {@link PolicyExchange} owns one and
 * is reused only after {@code onComplete}, by which time the proxy has written the response head.
 *
 * <p>Confined to its event loop. Appending allocates nothing; {@link #toString()} (for tests and logs) does.
 */
final class AsciiFieldValue implements CharSequence {

    private static final byte[] LONG_MIN_DIGITS = ascii("9223372036854775808");
    /** The two ASCII digits of 0 to 99 as one little-endian {@code short}: tens digit first in memory. */
    private static final short[] DIGIT_PAIRS = new short[100];
    // writes a digit pair with one store
    private static final VarHandle PAIR = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[i] = (short) (('0' + i / 10) | ('0' + i % 10) << 8);
        }
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final byte[] bytes;
    private int length;

    AsciiFieldValue(int capacity) {
        this.bytes = new byte[capacity];
    }

    /** Empties the value for rewriting. */
    AsciiFieldValue clear() {
        length = 0;
        return this;
    }

    /** The bytes of an ASCII constant, for {@link #append(byte[])}. */
    static byte[] ascii(String constant) {
        return constant.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends ASCII bytes (a constant made with {@link #ascii}). */
    AsciiFieldValue append(byte[] ascii) {
        System.arraycopy(ascii, 0, bytes, length, ascii.length);
        length += ascii.length;
        return this;
    }

    /** Appends {@code v} in decimal. */
    AsciiFieldValue append(long v) {
        if (v < 0) {
            bytes[length++] = '-';
            if (v == Long.MIN_VALUE) {
                return append(LONG_MIN_DIGITS);
            }
            v = -v;
        }
        int end = length + digits(v);
        int i = end;
        // two digits per division and per store, and int division once the value fits: a long division per
        // digit cost more than the rest of the field
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            i -= 2;
            PAIR.set(bytes, i, DIGIT_PAIRS[(int) (v - q * 100)]);
            v = q;
        }
        int n = (int) v;
        while (n >= 100) {
            int q = n / 100;
            i -= 2;
            PAIR.set(bytes, i, DIGIT_PAIRS[n - q * 100]);
            n = q;
        }
        if (n >= 10) {
            PAIR.set(bytes, i - 2, DIGIT_PAIRS[n]);
        } else {
            bytes[i - 1] = (byte) ('0' + n);
        }
        length = end;
        return this;
    }

    /**
     * Decimal digits of {@code v >= 0}, without a loop: the bit length gives the digit count to within one
     * (times log10(2), as 1233/4096), and one comparison settles it. {@code v | 1} has the digits of {@code v}
     * (powers of ten are even) and makes 0 count as one digit.
     */
    static int digits(long v) {
        long w = v | 1;
        int t = ((64 - Long.numberOfLeadingZeros(w)) * 1233) >>> 12;
        return w >= POWERS_OF_TEN[t] ? t + 1 : t;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of a value of length " + length);
        }
        return (char) (bytes[index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
