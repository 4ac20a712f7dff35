package dev.sluice.core.proxy;

import java.nio.charset.StandardCharsets;

/**
 * Parses a backend's response head (RFC 9112 sections 4 and 5) in place into a {@link ResponseHead}, refusing
 * what a smuggling-resistant proxy must not pass on. A head is refused ({@link #MALFORMED}) for:
 * <ul>
 *   <li>a status line other than {@code HTTP/1.1} or {@code HTTP/1.0}, SP, three digits (100 to 599, not 101:
 *       Sluice never switches protocols for a client), then SP and a reason phrase of visible characters, spaces
 *       and tabs (the SP and phrase may be missing);</li>
 *   <li>any line not ended by CRLF (a bare LF), a CR or NUL or other control character inside a field, a field
 *       line without a colon or with an empty or non-token name;</li>
 *   <li>more than one {@code Content-Length}, or one that is not 1 to 18 digits (no sign, list or hex);</li>
 *   <li>{@code Transfer-Encoding} other than exactly one field {@code chunked} (Sluice implements no other
 *       coding, so could not pass such a body on intact), with {@code Content-Length}, or in an HTTP/1.0
 *       response;</li>
 *   <li>obs-fold continuing a framing or hop-by-hop field, or a fold before any field;</li>
 *   <li>a head larger than the limit, or with more than {@value ResponseHead#MAX_FIELDS} field lines.</li>
 * </ul>
 * Whitespace before a field's colon and obs-fold elsewhere are repaired, not refused (the line is marked
 * {@link ResponseHead#REWRITE}).
 *
 * <p>Stateless apart from its limit; confined to one event loop because the {@link ResponseHead} it fills is.
 * Allocates nothing (the head's field table grows, rarely, past 16 fields).
 */
final class ResponseHeadParser {

    /** The bytes so far are a correct beginning of a head; more are needed. */
    static final int NEED_MORE = -1;
    /** The bytes cannot begin an acceptable head. */
    static final int MALFORMED = -2;

    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] PROXY_CONNECTION = ascii("proxy-connection");
    private static final byte[] TE = ascii("te");
    private static final byte[] TRAILER = ascii("trailer");
    private static final byte[] UPGRADE = ascii("upgrade");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;
    /** The lengths of the names {@link #classify} looks for. */
    private static final boolean[] SPECIAL_LENGTH = specialLengths();
    private static final boolean[] VALUE_BYTE = valueBytes();

    private final int maxHeadBytes;
    /** The last field parsed carries framing or is hop-by-hop: it may not be continued by obs-fold. */
    private boolean lastFieldSpecial;

    /** @param maxHeadBytes the largest head accepted, status line and final empty line included */
    ResponseHeadParser(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Parses the head at the start of the {@link ResponseHead#loaded} bytes of {@code head}.
     *
     * @return the index just after the head's final CRLF, {@link #NEED_MORE} or {@link #MALFORMED}
     */
    int parse(ResponseHead head) {
        head.reset();
        lastFieldSpecial = false;
        byte[] b = head.bytes;
        int to = head.loaded;
        int limit = Math.min(to, maxHeadBytes);
        int lf = indexOfLf(b, 0, limit);
        if (lf < 0) {
            return incomplete(to, limit);
        }
        if (!statusLine(b, 0, lf, head)) {
            return MALFORMED;
        }
        int i = lf + 1;
        while (true) {
            lf = indexOfLf(b, i, limit);
            if (lf < 0) {
                return incomplete(to, limit);
            }
            if (lf == i || b[lf - 1] != '\r') {
                return MALFORMED; // a bare LF ends a line only with CR before it
            }
            if (lf == i + 1) {
                head.headEnd = lf + 1;
                return finish(head) ? lf + 1 : MALFORMED;
            }
            byte first = b[i];
            boolean ok = first == ' ' || first == '\t' ? fold(b, i, lf - 1, head) : field(b, i, lf - 1, head);
            if (!ok) {
                return MALFORMED;
            }
            i = lf + 1;
        }
    }

    private int incomplete(int to, int limit) {
        return limit < to || to >= maxHeadBytes ? MALFORMED : NEED_MORE;
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason] CR}, the CR at {@code lf - 1}. */
    private static boolean statusLine(byte[] buf, int start, int lf, ResponseHead head) {
        int cr = lf - 1;
        if (cr - start < HTTP_1.length + 5 || buf[cr] != '\r') {
            return false;
        }
        for (int k = 0; k < HTTP_1.length; k++) {
            if (buf[start + k] != HTTP_1[k]) {
                return false;
            }
        }
        int i = start + HTTP_1.length;
        byte minor = buf[i];
        if (minor != '0' && minor != '1' || buf[i + 1] != ' ') {
            return false;
        }
        head.http11 = minor == '1';
        i += 2;
        int status = 0;
        for (int k = 0; k < 3; k++) {
            int d = buf[i + k] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            status = status * 10 + d;
        }
        if (status < 100 || status > 599 || status == 101) {
            return false;
        }
        head.status = status;
        i += 3;
        if (i == cr) {
            head.reasonStart = i;
            head.reasonEnd = i;
            return true;
        }
        if (buf[i] != ' ') {
            return false;
        }
        for (int k = i + 1; k < cr; k++) {
            if (!isValueByte(buf[k])) {
                return false;
            }
        }
        head.reasonStart = i + 1;
        head.reasonEnd = cr;
        return true;
    }

    /** A field line {@code [start, cr)}. */
    private boolean field(byte[] buf, int start, int cr, ResponseHead head) {
        int i = start;
        while (i < cr && HttpGrammar.isTchar(buf[i])) {
            i++;
        }
        int nameEnd = i;
        if (nameEnd == start) {
            return false;
        }
        byte how = ResponseHead.KEEP;
        if (i < cr && buf[i] != ':') {
            while (i < cr && isBlank(buf[i])) {
                i++;
            }
            if (i == cr || buf[i] != ':') {
                return false;
            }
            how = ResponseHead.REWRITE; // "Name : value": the space goes, as Netty's and most decoders repair it
        }
        if (i == cr) {
            return false; // no colon
        }
        int v = i + 1;
        while (v < cr && isBlank(buf[v])) {
            v++;
        }
        int ve = cr;
        while (ve > v && isBlank(buf[ve - 1])) {
            ve--;
        }
        for (int k = v; k < ve; k++) {
            if (!isValueByte(buf[k])) {
                return false;
            }
        }
        int index = head.addField(start, nameEnd, v, ve, cr + 2, how);
        return index >= 0 && classify(buf, index, head);
    }

    /** Records framing and hop-by-hop facts of field {@code i}; false when the field is unacceptable. */
    private boolean classify(byte[] buf, int i, ResponseHead head) {
        int start = head.lineStart[i];
        int length = head.nameEnd[i] - start;
        if (length >= SPECIAL_LENGTH.length || !SPECIAL_LENGTH[length]) {
            lastFieldSpecial = false;
            return true; // most fields: no framing or hop-by-hop name has this length
        }
        lastFieldSpecial = true;
        if (sameIgnoringCase(buf, start, length, CONTENT_LENGTH)) {
            if (head.contentLength >= 0) {
                return false;
            }
            head.contentLength = digits(buf, head.valueStart[i], head.valueEnd[i]);
            return head.contentLength >= 0;
        }
        if (sameIgnoringCase(buf, start, length, TRANSFER_ENCODING)) {
            if (head.chunked || !sameIgnoringCase(buf, head.valueStart[i], head.valueEnd[i] - head.valueStart[i], CHUNKED)) {
                return false;
            }
            head.chunked = true;
            head.disposition[i] = ResponseHead.DROP;
            return true;
        }
        if (sameIgnoringCase(buf, start, length, CONNECTION)) {
            head.disposition[i] = ResponseHead.DROP;
            readConnectionTokens(buf, head.valueStart[i], head.valueEnd[i], head);
            return true;
        }
        if (isOtherHopByHop(buf, start, length)) {
            head.disposition[i] = ResponseHead.DROP;
            return true;
        }
        lastFieldSpecial = false;
        return true;
    }

    /** obs-fold: the line {@code [start, cr)} continues the previous field's value. */
    private boolean fold(byte[] buf, int start, int cr, ResponseHead head) {
        if (head.fieldCount == 0 || lastFieldSpecial) {
            return false;
        }
        for (int k = start; k < cr; k++) {
            byte b = buf[k];
            if (!isBlank(b) && !isValueByte(b)) {
                return false;
            }
        }
        int i = head.fieldCount - 1;
        int ve = cr;
        while (ve > start && isBlank(buf[ve - 1])) {
            ve--;
        }
        if (ve > start) {
            if (head.valueEnd[i] == head.valueStart[i]) {
                head.valueStart[i] = start;
            }
            head.valueEnd[i] = ve;
        }
        head.lineEnd[i] = cr + 2;
        head.disposition[i] = ResponseHead.REWRITE;
        return true;
    }

    /** Notes what {@code Connection}'s tokens say: {@code close}, and whether any other field is named. */
    private static void readConnectionTokens(byte[] buf, int from, int to, ResponseHead head) {
        forEachToken(buf, from, to, head, false);
    }

    /** Checks the whole head; drops the fields that {@code Connection} names (never {@code Content-Length}). */
    private static boolean finish(ResponseHead head) {
        if (head.chunked && (head.contentLength >= 0 || !head.http11)) {
            return false;
        }
        if (head.nominates) {
            int count = head.fieldCount;
            for (int c = 0; c < count; c++) {
                int start = head.lineStart[c];
                if (sameIgnoringCase(head.bytes, start, head.nameEnd[c] - start, CONNECTION)) {
                    forEachToken(head.bytes, head.valueStart[c], head.valueEnd[c], head, true);
                }
            }
        }
        return true;
    }

    /**
     * Walks the comma-separated tokens of a {@code Connection} value {@code [from, to)}, blanks trimmed: records
     * {@code close} and other names, or, with {@code drop}, drops the fields each other name names.
     */
    private static void forEachToken(byte[] buf, int from, int to, ResponseHead head, boolean drop) {
        int tokenStart = from;
        for (int k = from; k <= to; k++) {
            if (k < to && buf[k] != ',') {
                continue;
            }
            int s = tokenStart;
            int e = k;
            tokenStart = k + 1;
            while (s < e && isBlank(buf[s])) {
                s++;
            }
            while (e > s && isBlank(buf[e - 1])) {
                e--;
            }
            if (e == s || sameIgnoringCase(buf, s, e - s, KEEP_ALIVE)) {
                continue;
            }
            if (sameIgnoringCase(buf, s, e - s, CLOSE)) {
                head.connectionClose = true;
            } else if (!drop) {
                head.nominates = true;
            } else if (!sameIgnoringCase(buf, s, e - s, CONTENT_LENGTH)) {
                dropFieldsNamed(buf, s, e - s, head);
            }
        }
    }

    private static void dropFieldsNamed(byte[] buf, int from, int length, ResponseHead head) {
        for (int f = 0; f < head.fieldCount; f++) {
            int start = head.lineStart[f];
            if (head.nameEnd[f] - start == length && sameIgnoringCase(buf, start, length, buf, from)) {
                head.disposition[f] = ResponseHead.DROP;
            }
        }
    }

    /** 1 to 18 decimal digits, or -1. */
    private static long digits(byte[] buf, int from, int to) {
        if (to == from || to - from > MAX_CONTENT_LENGTH_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            int d = buf[k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static boolean sameIgnoringCase(byte[] buf, int from, int length, byte[] lowerCase) {
        return length == lowerCase.length && sameIgnoringCase(buf, from, length, lowerCase, 0);
    }

    /** Whether {@code a[aFrom, aFrom + length)} and {@code b[bFrom, ...)} are the same ASCII text, ignoring case. */
    private static boolean sameIgnoringCase(byte[] a, int aFrom, int length, byte[] b, int bFrom) {
        for (int k = 0; k < length; k++) {
            if (lower(a[aFrom + k]) != lower(b[bFrom + k])) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isOtherHopByHop(byte[] buf, int start, int length) {
        return switch (length) {
            case 2 -> sameIgnoringCase(buf, start, length, TE);
            case 7 -> sameIgnoringCase(buf, start, length, TRAILER) || sameIgnoringCase(buf, start, length, UPGRADE);
            case 10 -> sameIgnoringCase(buf, start, length, KEEP_ALIVE);
            case 16 -> sameIgnoringCase(buf, start, length, PROXY_CONNECTION);
            default -> false;
        };
    }

    /** A byte allowed inside a field value or reason phrase: VCHAR, obs-text, SP, HTAB. */
    private static boolean isValueByte(byte b) {
        return VALUE_BYTE[b & 0xFF];
    }

    private static boolean[] specialLengths() {
        boolean[] lengths = new boolean[18];
        for (byte[] name : new byte[][] {CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, KEEP_ALIVE, PROXY_CONNECTION,
                TE, TRAILER, UPGRADE}) {
            lengths[name.length] = true;
        }
        return lengths;
    }

    private static boolean[] valueBytes() {
        boolean[] table = new boolean[256];
        for (int c = 0; c < 256; c++) {
            table[c] = c == ' ' || c == '\t' || HttpGrammar.isFieldVchar(c);
        }
        return table;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
