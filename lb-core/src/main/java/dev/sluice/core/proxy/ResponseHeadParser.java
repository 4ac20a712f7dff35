package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;

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
 *   <li>a head larger than the limit.</li>
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

    private final int maxHeadBytes;
    /** The last field parsed carries framing or is hop-by-hop: it may not be continued by obs-fold. */
    private boolean lastFieldSpecial;

    /** @param maxHeadBytes the largest head accepted, status line and final empty line included */
    ResponseHeadParser(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Parses the head starting at {@code from} among the readable bytes {@code [from, to)} of {@code buf}.
     *
     * @return the index just after the head's final CRLF, {@link #NEED_MORE} or {@link #MALFORMED}
     */
    int parse(ByteBuf buf, int from, int to, ResponseHead head) {
        head.reset(buf, from);
        lastFieldSpecial = false;
        int limit = Math.min(to, from + maxHeadBytes);
        int lf = buf.indexOf(from, limit, (byte) '\n');
        if (lf < 0) {
            return incomplete(from, to, limit);
        }
        if (!statusLine(buf, from, lf, head)) {
            return MALFORMED;
        }
        int i = lf + 1;
        while (true) {
            lf = buf.indexOf(i, limit, (byte) '\n');
            if (lf < 0) {
                return incomplete(from, to, limit);
            }
            if (lf == i || buf.getByte(lf - 1) != '\r') {
                return MALFORMED; // a bare LF ends a line only with CR before it
            }
            if (lf == i + 1) {
                head.headEnd = lf + 1;
                return finish(head) ? lf + 1 : MALFORMED;
            }
            byte first = buf.getByte(i);
            boolean ok = first == ' ' || first == '\t' ? fold(buf, i, lf - 1, head) : field(buf, i, lf - 1, head);
            if (!ok) {
                return MALFORMED;
            }
            i = lf + 1;
        }
    }

    private int incomplete(int from, int to, int limit) {
        return limit < to || to - from >= maxHeadBytes ? MALFORMED : NEED_MORE;
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason] CR}, the CR at {@code lf - 1}. */
    private static boolean statusLine(ByteBuf buf, int start, int lf, ResponseHead head) {
        int cr = lf - 1;
        if (cr - start < HTTP_1.length + 5 || buf.getByte(cr) != '\r') {
            return false;
        }
        for (int k = 0; k < HTTP_1.length; k++) {
            if (buf.getByte(start + k) != HTTP_1[k]) {
                return false;
            }
        }
        int i = start + HTTP_1.length;
        byte minor = buf.getByte(i);
        if (minor != '0' && minor != '1' || buf.getByte(i + 1) != ' ') {
            return false;
        }
        head.http11 = minor == '1';
        i += 2;
        int status = 0;
        for (int k = 0; k < 3; k++) {
            int d = buf.getByte(i + k) - '0';
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
        if (buf.getByte(i) != ' ') {
            return false;
        }
        for (int k = i + 1; k < cr; k++) {
            if (!isValueByte(buf.getByte(k))) {
                return false;
            }
        }
        head.reasonStart = i + 1;
        head.reasonEnd = cr;
        return true;
    }

    /** A field line {@code [start, cr)}. */
    private boolean field(ByteBuf buf, int start, int cr, ResponseHead head) {
        int i = start;
        while (i < cr && HttpGrammar.isTchar(buf.getByte(i))) {
            i++;
        }
        int nameEnd = i;
        if (nameEnd == start) {
            return false;
        }
        byte how = ResponseHead.KEEP;
        if (i < cr && buf.getByte(i) != ':') {
            while (i < cr && isBlank(buf.getByte(i))) {
                i++;
            }
            if (i == cr || buf.getByte(i) != ':') {
                return false;
            }
            how = ResponseHead.REWRITE; // "Name : value": the space goes, as Netty's and most decoders repair it
        }
        if (i == cr) {
            return false; // no colon
        }
        int v = i + 1;
        while (v < cr && isBlank(buf.getByte(v))) {
            v++;
        }
        int ve = cr;
        while (ve > v && isBlank(buf.getByte(ve - 1))) {
            ve--;
        }
        for (int k = v; k < ve; k++) {
            if (!isValueByte(buf.getByte(k))) {
                return false;
            }
        }
        int index = head.addField(start, nameEnd, v, ve, cr + 2, how);
        return classify(buf, index, head);
    }

    /** Records framing and hop-by-hop facts of field {@code i}; false when the field is unacceptable. */
    private boolean classify(ByteBuf buf, int i, ResponseHead head) {
        int start = head.lineStart[i];
        int length = head.nameEnd[i] - start;
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
        if (sameIgnoringCase(buf, start, length, KEEP_ALIVE) || sameIgnoringCase(buf, start, length, PROXY_CONNECTION)
                || sameIgnoringCase(buf, start, length, TE) || sameIgnoringCase(buf, start, length, TRAILER)
                || sameIgnoringCase(buf, start, length, UPGRADE)) {
            head.disposition[i] = ResponseHead.DROP;
            return true;
        }
        lastFieldSpecial = false;
        return true;
    }

    /** obs-fold: the line {@code [start, cr)} continues the previous field's value. */
    private boolean fold(ByteBuf buf, int start, int cr, ResponseHead head) {
        if (head.fieldCount == 0 || lastFieldSpecial) {
            return false;
        }
        for (int k = start; k < cr; k++) {
            byte b = buf.getByte(k);
            if (!isBlank(b) && !isValueByte(b)) {
                return false;
            }
        }
        int i = head.fieldCount - 1;
        int ve = cr;
        while (ve > start && isBlank(buf.getByte(ve - 1))) {
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

    private static void readConnectionTokens(ByteBuf buf, int from, int to, ResponseHead head) {
        int start = from;
        for (int k = from; k <= to; k++) {
            if (k == to || buf.getByte(k) == ',') {
                int s = start;
                int e = k;
                while (s < e && isBlank(buf.getByte(s))) {
                    s++;
                }
                while (e > s && isBlank(buf.getByte(e - 1))) {
                    e--;
                }
                if (sameIgnoringCase(buf, s, e - s, CLOSE)) {
                    head.connectionClose = true;
                } else if (e > s && !sameIgnoringCase(buf, s, e - s, KEEP_ALIVE)) {
                    head.nominates = true;
                }
                start = k + 1;
            }
        }
    }

    /** Checks the whole head; drops the fields that {@code Connection} names (never {@code Content-Length}). */
    private static boolean finish(ResponseHead head) {
        if (head.chunked && (head.contentLength >= 0 || !head.http11)) {
            return false;
        }
        if (head.nominates) {
            dropNominated(head);
        }
        return true;
    }

    private static void dropNominated(ResponseHead head) {
        ByteBuf buf = head.buf;
        int count = head.fieldCount;
        for (int c = 0; c < count; c++) {
            int start = head.lineStart[c];
            if (!sameIgnoringCase(buf, start, head.nameEnd[c] - start, CONNECTION)) {
                continue;
            }
            int tokenStart = head.valueStart[c];
            int to = head.valueEnd[c];
            for (int k = tokenStart; k <= to; k++) {
                if (k == to || buf.getByte(k) == ',') {
                    int s = tokenStart;
                    int e = k;
                    while (s < e && isBlank(buf.getByte(s))) {
                        s++;
                    }
                    while (e > s && isBlank(buf.getByte(e - 1))) {
                        e--;
                    }
                    if (e > s && !sameIgnoringCase(buf, s, e - s, CONTENT_LENGTH)) {
                        for (int f = 0; f < count; f++) {
                            if (head.nameEquals(f, s, e - s)) {
                                head.disposition[f] = ResponseHead.DROP;
                            }
                        }
                    }
                    tokenStart = k + 1;
                }
            }
        }
    }

    /** 1 to 18 decimal digits, or -1. */
    private static long digits(ByteBuf buf, int from, int to) {
        if (to == from || to - from > MAX_CONTENT_LENGTH_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            int d = buf.getByte(k) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static boolean sameIgnoringCase(ByteBuf buf, int from, int length, byte[] lowerCase) {
        if (length != lowerCase.length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            int b = buf.getByte(from + k);
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lowerCase[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** A byte allowed inside a field value or reason phrase: VCHAR, obs-text, SP, HTAB. */
    private static boolean isValueByte(byte b) {
        return isBlank(b) || HttpGrammar.isFieldVchar(b);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
