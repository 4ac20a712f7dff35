package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * A backend's response head parsed by {@link ResponseHeadParser} from a copy of its bytes: its status, the facts
 * that frame its body, and where each field line lies. The head is passed on by copying its lines
 * ({@link #writeFields}) instead of being decoded into objects and encoded again. Lines that never cross the proxy
 * (hop-by-hop fields and those named in {@code Connection}) are marked {@link #DROP} and left out; a line that
 * needed repair on the way in (obs-fold, whitespace before the colon) is marked {@link #REWRITE} and written
 * as {@code name: value} with the fold replaced by spaces, as RFC 9112 section 5.2 asks of a proxy.
 *
 * <p>Confined to its upstream connection's event loop; one instance per connection, refilled for every head. The
 * bytes are copied out of the receive buffer into an array the head keeps ({@link #load}), so parsing reads plain
 * array elements (no per-byte buffer checks) and the head stays valid after the buffer is released.
 */
final class ResponseHead {

    /** How the body after this head is framed, once the reader has paired the head with its request. */
    enum Body { NONE, LENGTH, CHUNKED, CLOSE }

    static final byte KEEP = 0;
    static final byte DROP = 1;
    static final byte REWRITE = 2;

    static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] HTTP_1_1_SP = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final int INITIAL_FIELDS = 16;
    /** The most field lines a response head may have (HAProxy's default limit is 101). */
    static final int MAX_FIELDS = 256;

    private static final int INITIAL_BYTES = 1024;

    /** The head's bytes from index 0; {@link #loaded} of them are valid. */
    byte[] bytes = new byte[INITIAL_BYTES];
    int loaded;
    /** The index just after the head's final CRLF, once parsed. */
    int headEnd;
    int status;
    boolean http11;
    int reasonStart;
    int reasonEnd;
    /** The {@code Content-Length} value, or -1 when the head has none. */
    long contentLength;
    boolean chunked;
    /** {@code Connection} lists {@code close}. */
    boolean connectionClose;
    /** {@code Connection} lists a token other than {@code close} and {@code keep-alive}: a field to drop. */
    boolean nominates;
    /** Set by the reader for a final head: how its body is framed. */
    Body body = Body.NONE;
    /**
     * Set by the reader for a final head: its whole body (none, or all its {@code Content-Length} bytes) came in the
     * read that brought the head, so the reader's next call for this response is its last part.
     */
    boolean wholeBodyInRead;

    int fieldCount;
    int[] lineStart = new int[INITIAL_FIELDS];
    int[] nameEnd = new int[INITIAL_FIELDS];
    int[] valueStart = new int[INITIAL_FIELDS];
    int[] valueEnd = new int[INITIAL_FIELDS];
    int[] lineEnd = new int[INITIAL_FIELDS];
    byte[] disposition = new byte[INITIAL_FIELDS];

    /** The name of one field line as characters, for looking it up without copying it. */
    private final FieldName fieldName = new FieldName();

    /** Copies {@code length} bytes of {@code buf} from {@code index} as the start of the next head. */
    void load(ByteBuf buf, int index, int length) {
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        } else if (bytes.length > INITIAL_BYTES && length <= INITIAL_BYTES) {
            bytes = new byte[INITIAL_BYTES]; // a rare large head does not pin its memory to a pooled connection
        }
        buf.getBytes(index, bytes, 0, length);
        loaded = length;
    }

    /** Forgets the previous head's facts (its bytes stay loaded). */
    void reset() {
        headEnd = 0;
        status = 0;
        http11 = false;
        reasonStart = 0;
        reasonEnd = 0;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        nominates = false;
        body = Body.NONE;
        fieldCount = 0;
    }

    /** A 1xx interim response, which answers no request of its own and has no body. */
    boolean interim() {
        return status < 200;
    }

    /** Whether the backend keeps the connection open after this response (HTTP/1.1 without {@code close}). */
    boolean keepsConnection() {
        return http11 && !connectionClose;
    }

    /** The received size of the head in bytes, a bound for what {@link #writeFields} writes. */
    int size() {
        return headEnd;
    }

    /** Adds a field line; returns its index, or -1 past {@link #MAX_FIELDS}. */
    int addField(int start, int nameEndIndex, int valueStartIndex, int valueEndIndex, int end, byte how) {
        if (fieldCount == MAX_FIELDS) {
            return -1;
        }
        if (fieldCount == lineStart.length) {
            grow();
        }
        int i = fieldCount++;
        lineStart[i] = start;
        nameEnd[i] = nameEndIndex;
        valueStart[i] = valueStartIndex;
        valueEnd[i] = valueEndIndex;
        lineEnd[i] = end;
        disposition[i] = how;
        return i;
    }

    private void grow() {
        int n = lineStart.length * 2;
        lineStart = java.util.Arrays.copyOf(lineStart, n);
        nameEnd = java.util.Arrays.copyOf(nameEnd, n);
        valueStart = java.util.Arrays.copyOf(valueStart, n);
        valueEnd = java.util.Arrays.copyOf(valueEnd, n);
        lineEnd = java.util.Arrays.copyOf(lineEnd, n);
        disposition = java.util.Arrays.copyOf(disposition, n);
    }

    /**
     * Writes the status line Sluice sends ({@code HTTP/1.1}, the backend's code and reason phrase) to {@code out}.
     */
    void writeStatusLine(ByteBuf out) {
        out.writeBytes(HTTP_1_1_SP);
        out.writeByte('0' + status / 100);
        out.writeByte('0' + status / 10 % 10);
        out.writeByte('0' + status % 10);
        out.writeByte(' ');
        out.writeBytes(bytes, reasonStart, reasonEnd - reasonStart);
        out.writeShort(CRLF);
    }

    /** Writes every field line that crosses the proxy to {@code out}: runs of unchanged lines in one copy each. */
    void writeFields(ByteBuf out) {
        writeFields(out, null);
    }

    /**
     * {@link #writeFields(ByteBuf)} leaving out the lines whose name (ignoring letter case) is a name of
     * {@code replaced}, fields that filters set in their place; {@code null} or empty leaves out none.
     */
    void writeFields(ByteBuf out, HttpHeaders replaced) {
        HttpHeaders except = replaced == null || replaced.isEmpty() ? null : replaced;
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i < fieldCount; i++) {
            byte how = disposition[i];
            if (how != DROP && except != null && except.contains(fieldName.of(i))) {
                how = DROP;
            }
            if (how == KEEP) {
                if (runStart < 0) {
                    runStart = lineStart[i];
                } else if (lineStart[i] != runEnd) {
                    out.writeBytes(bytes, runStart, runEnd - runStart);
                    runStart = lineStart[i];
                }
                runEnd = lineEnd[i];
                continue;
            }
            if (runStart >= 0) {
                out.writeBytes(bytes, runStart, runEnd - runStart);
                runStart = -1;
            }
            if (how == REWRITE) {
                writeRepaired(i, out);
            }
        }
        if (runStart >= 0) {
            out.writeBytes(bytes, runStart, runEnd - runStart);
        }
    }

    private void writeRepaired(int i, ByteBuf out) {
        out.writeBytes(bytes, lineStart[i], nameEnd[i] - lineStart[i]);
        out.writeByte(':');
        out.writeByte(' ');
        for (int k = valueStart[i]; k < valueEnd[i]; k++) {
            byte b = bytes[k];
            out.writeByte(b == '\r' || b == '\n' ? ' ' : b);
        }
        out.writeShort(CRLF);
    }

    /**
     * The head as a Netty response for filters that want to see or change it: the fields that cross the proxy,
     * repaired, under {@code HTTP/1.1}. Allocates; used only when a filter saw the request.
     */
    HttpResponse toHttpResponse() {
        String reason = new String(bytes, reasonStart, reasonEnd - reasonStart, StandardCharsets.ISO_8859_1);
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(status, reason),
                HttpGrammar.CHECKED_FIELDS);
        HttpHeaders h = r.headers();
        for (int i = 0; i < fieldCount; i++) {
            if (disposition[i] == DROP) {
                continue;
            }
            AsciiString name = new AsciiString(bytes, lineStart[i], nameEnd[i] - lineStart[i], true);
            String value = new String(bytes, valueStart[i], valueEnd[i] - valueStart[i], StandardCharsets.ISO_8859_1);
            if (disposition[i] == REWRITE) {
                value = value.replace('\r', ' ').replace('\n', ' ');
            }
            h.add(name, value);
        }
        return r;
    }

    /**
     * A view of the name of field line {@link #of its index} in {@link #bytes} (ISO-8859-1), reused for every
     * line: valid until the next {@link #of}.
     */
    private final class FieldName implements CharSequence {
        private int start;
        private int length;

        FieldName of(int i) {
            start = lineStart[i];
            length = nameEnd[i] - lineStart[i];
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[start + index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new String(bytes, start + from, to - from, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
        }
    }
}
