package dev.sluice.core.proxy;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;

/**
 * Byte classes of the HTTP/1.1 grammar (RFC 9110 section 5.6, RFC 9112, RFC 3986), as lookup tables indexed by
 * the unsigned byte, and the header maps for fields already checked against them. Immutable; shared by every
 * event loop.
 */
final class HttpGrammar {

    /**
     * Header maps for fields whose every byte was checked against this grammar before they were decoded (request
     * heads and trailers by the scanners, response heads by the parser): they do not check names and values again.
     */
    static final DefaultHttpHeadersFactory CHECKED_FIELDS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);
    /** {@link #CHECKED_FIELDS} for trailer sections. */
    static final DefaultHttpHeadersFactory CHECKED_TRAILERS = DefaultHttpHeadersFactory.trailersFactory()
            .withValidation(false);

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VCHAR = new boolean[256];
    private static final boolean[] FIELD_CONTENT = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] QDTEXT = new boolean[256];
    private static final boolean[] REG_NAME = new boolean[256];
    private static final byte[] HEX = new byte[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0xFF; c++) {
            FIELD_VCHAR[c] = c != 0x7F; // VCHAR and obs-text
            QDTEXT[c] = c != 0x7F && c != '"' && c != '\\';
            FIELD_CONTENT[c] = FIELD_VCHAR[c];
        }
        FIELD_CONTENT[' '] = true;
        FIELD_CONTENT['\t'] = true;
        QDTEXT['\t'] = true;
        QDTEXT[' '] = true;
        // RFC 3986: unreserved, gen-delims except '#', sub-delims, and '%' (checked as pct-encoded by the scanner).
        for (int c = 0; c < 128; c++) {
            boolean alnum = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            TARGET[c] = alnum || "-._~:/?[]@!$&'()*+,;=%".indexOf(c) >= 0;
            REG_NAME[c] = alnum || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
        }
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = 0; c < 10; c++) {
            HEX['0' + c] = (byte) c;
        }
        for (int c = 0; c < 6; c++) {
            HEX['a' + c] = (byte) (10 + c);
            HEX['A' + c] = (byte) (10 + c);
        }
    }

    private HttpGrammar() {
    }

    /** Where the field value in {@code b[from, to)} starts: past the OWS (SP, HTAB) before it, which is not part of it. */
    static int valueStart(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    /** Where the field value in {@code b[from, to)} ends: before the OWS after it, never before {@code from}. */
    static int valueEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** {@code tchar}: the bytes of a token (method, field name, transfer coding). */
    static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /** {@code field-vchar}: VCHAR or obs-text, the non-blank bytes of a field value. */
    static boolean isFieldVchar(int b) {
        return FIELD_VCHAR[b & 0xFF];
    }

    /** A byte of a field value: field-vchar, SP or HTAB. */
    static boolean isFieldContent(int b) {
        return FIELD_CONTENT[b & 0xFF];
    }

    /** A byte allowed raw in a request-target (RFC 3986 without '#'; '%' must start a pct-encoding). */
    static boolean isTargetByte(int b) {
        return TARGET[b & 0xFF];
    }

    /** {@code qdtext}: a byte allowed unescaped inside a quoted-string. */
    static boolean isQdtext(int b) {
        return QDTEXT[b & 0xFF];
    }

    /** A byte allowed raw in a reg-name host (RFC 3986 section 3.2.2; '%' must start a pct-encoding). */
    static boolean isRegNameByte(int b) {
        return REG_NAME[b & 0xFF];
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(int b) {
        return HEX[b & 0xFF];
    }

    /** Whether {@code s} is a non-empty token. */
    static boolean isToken(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code bytes[start, start + length)} are exactly the characters of {@code text}, one char per byte
     * (ISO-8859-1, of which ASCII is the first half): the text a decoder makes of those bytes.
     */
    static boolean sameText(String text, byte[] bytes, int start, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((bytes[start + i] & 0xFF) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
