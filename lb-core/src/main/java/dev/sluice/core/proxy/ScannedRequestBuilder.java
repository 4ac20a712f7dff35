package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * Builds the request of a head that {@link RequestHeadScanner} accepted, from the positions the scanner recorded,
 * so that the head is not parsed a second time by Netty's decoder. Only for a head Netty would decode without a
 * fault into a request without a body, with a body of {@code Content-Length} bytes ({@link #contentLength}), or with
 * a chunked body ({@link #chunked}: one {@code Transfer-Encoding} field whose value is {@code chunked}, and no
 * {@code Content-Length}), which the decoder then reads itself; {@link #build} answers {@code null} for any other
 * head, which then goes to Netty as before.
 *
 * <p>The request shows a later handler what {@link StrictRequestDecoder}'s Netty path would: the same
 * {@link HttpMethod} (a shared constant for the standard methods, else {@link HttpMethod#valueOf}), URI text and
 * {@link HttpVersion} constant; every field line in order, duplicates kept, names as they arrived, values with
 * leading and trailing SP and HTAB trimmed, in a map that checks nothing put in it (as the decoder's). Its decoder
 * result is the default success (Netty's path sets a success that also carries the head's sizes, which nothing in
 * Sluice reads). It is a {@link ScannedRequest} whose fields are positions in the head's bytes ({@link HeadFields}).
 *
 * <p>The request takes over the array the scanner kept the head in ({@link RequestHeadScanner#headBytes()}) and
 * gives the scanner the array it had before, so no byte is copied again. Requests come back once their exchange
 * has ended ({@link #recycle}) and are built into again, so a connection's requests reuse a few objects and arrays.
 *
 * <p>Confined to its decoder's event loop. Allocates nothing in the steady state of a connection: only a new
 * request while all earlier ones are in use (pipelined heads), arrays that grow for a head longer or with more
 * fields than any before it on the connection, the target's text when it differs from the last one built into the
 * same request, and a method outside the standard ones.
 */
final class ScannedRequestBuilder {

    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBSOCKET_KEY = "sec-websocket-key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

    /** Requests taken back from ended exchanges; a few suffice, as a connection runs one exchange at a time. */
    private final ScannedRequest[] spare = new ScannedRequest[4];
    private int free;
    /** The {@code Content-Length} of the head built last, 0 without one. */
    private long contentLength;
    /** Whether the head built last has a chunked body. */
    private boolean chunked;
    /** The bytes of the field lines of the head built last, CRLFs not counted, as Netty counts them. */
    private int fieldBytes;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    /**
     * @param maxInitialLineLength the decoder's limit on the request line, in bytes without its CRLF
     * @param maxHeaderSize        the decoder's limit on the field lines, in bytes without their CRLFs
     */
    ScannedRequestBuilder(int maxInitialLineLength, int maxHeaderSize) {
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * The request of the complete, accepted head recorded and kept by {@code head}, or {@code null} when Netty
     * must decode it: its framing fields are any other than one {@code Content-Length} or one
     * {@code Transfer-Encoding: chunked} (on HTTP/1.1 only: Netty refuses the field before it), Netty would refuse
     * its size, its fields need the decoder's own handling, or the scanner did not keep it.
     */
    HttpRequest build(RequestHeadScanner head) {
        byte[] b = head.headBytes();
        if (b == null || head.sawUnderscoreName() || !withinNettyLimits(head) || !framedAsBuilt(b, head)
                || chunked && head.minorVersion() != 1) { // Netty refuses Transfer-Encoding before HTTP/1.1
            return null;
        }
        int lineStart = head.lineStart();
        int methodEnd = head.methodEnd();
        int targetEnd = head.targetEnd();
        contentLength = 0;
        ScannedRequest request = take();
        HttpVersion version = head.minorVersion() == 1 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        request.start(method(b, lineStart, methodEnd - lineStart), b, methodEnd + 1, targetEnd - methodEnd - 1,
                version);
        HeadFields fields = request.fields();
        // The request keeps the head's bytes; the scanner gets the array the request had, for the next head.
        head.replaceHeadBytes(fields.reset(b));
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            int nameStart = head.nameStart(i);
            int colon = head.colon(i);
            // OWS around the value is not part of it, as Netty trims it
            int from = HttpGrammar.valueStart(b, colon + 1, head.fieldLineEnd(i));
            int to = HttpGrammar.valueEnd(b, from, head.fieldLineEnd(i));
            fields.addReceived(nameStart, colon - nameStart, from, to - from);
            if (isContentLength(b, nameStart, colon - nameStart)) {
                contentLength = contentLength(b, from, to);
            }
        }
        return request;
    }

    /**
     * The body length of the request {@link #build} built last: its {@code Content-Length}, 0 without one (a
     * chunked body has none).
     */
    long contentLength() {
        return contentLength;
    }

    /** Whether the request {@link #build} built last has a chunked body. */
    boolean chunked() {
        return chunked;
    }

    /**
     * The bytes of the field lines of the head {@link #build} built last, CRLFs not counted: Netty's decoder counts
     * the trailer section of a chunked body against its header limit after them.
     */
    int fieldBytes() {
        return fieldBytes;
    }

    /**
     * Takes back a request this builder built, once its exchange has ended, to build a later head into it; ignores
     * any other request. Nothing may use the request afterwards.
     */
    void recycle(HttpRequest request) {
        if (request instanceof ScannedRequest r && r.owner() == this && r.release() && free < spare.length) {
            spare[free++] = r;
        }
    }

    /** A request to build into: one taken back, else a new one (a pipelined head arrived while others are in use). */
    private ScannedRequest take() {
        if (free > 0) {
            ScannedRequest r = spare[--free];
            spare[free] = null;
            return r;
        }
        return new ScannedRequest(this);
    }

    /**
     * The longest head this builder can take, in bytes: leading CRLFs and a request line within Netty's line limit,
     * field lines within its header limit, and the CRLFs Netty does not count. A scanner that keeps heads this
     * long keeps every head the builder would build.
     */
    static int longestHead(int maxInitialLineLength, int maxHeaderSize, int maxFields) {
        long longest = 2L * maxInitialLineLength + 2 + maxHeaderSize + 2L * maxFields + 2;
        return (int) Math.min(Integer.MAX_VALUE - 8, longest);
    }

    /**
     * Whether Netty, given the first {@code headBytes} bytes of a head that has not ended (at once or in pieces),
     * would only wait for more: within both of its limits, no line or run of leading CRLFs it has seen, complete or
     * not, can be too long yet. Bytes held back from Netty on this answer change nothing Netty later decides.
     */
    boolean nettyWouldAwaitMore(int headBytes) {
        return headBytes <= maxInitialLineLength && headBytes <= maxHeaderSize;
    }

    /**
     * Whether Netty would decode the head into a request framed as the decoder reads it, and no fault: without
     * {@code Transfer-Encoding}, or with exactly one whose value is {@code chunked} in any letter case and no
     * {@code Content-Length} (which {@link #chunked} then tells); and not both {@code Sec-WebSocket-Key1} and
     * {@code Key2} on a GET (a Hixie-76 handshake, 8 bytes of body without a length). Any other
     * {@code Transfer-Encoding} goes to Netty and on to {@link RequestHeadValidator}, which refuses it. The scanner
     * already refused any head with two {@code Content-Length} fields or a value other than digits. Names with '_'
     * are left to the decoder, which drops them.
     */
    private boolean framedAsBuilt(byte[] b, RequestHeadScanner head) {
        int encodings = 0;
        boolean chunkedValue = false;
        boolean length = false;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            int nameStart = head.nameStart(i);
            int colon = head.colon(i);
            int nameLength = colon - nameStart;
            // only names of these three lengths need a look at their bytes
            if (nameLength == TRANSFER_ENCODING.length && sameLowerCase(b, nameStart, TRANSFER_ENCODING)) {
                encodings++;
                chunkedValue = isChunked(b, colon + 1, head.fieldLineEnd(i));
            } else if (nameLength == WEBSOCKET_KEY.length + 1 && sameLowerCase(b, nameStart, WEBSOCKET_KEY)) {
                return false;
            } else if (isContentLength(b, nameStart, nameLength)) {
                length = true;
            }
        }
        chunked = encodings == 1;
        return encodings == 0 || chunked && chunkedValue && !length;
    }

    /** Whether the value between {@code from} and {@code to}, OWS around it left out, is "chunked" in any case. */
    private static boolean isChunked(byte[] b, int from, int to) {
        int start = HttpGrammar.valueStart(b, from, to);
        int end = HttpGrammar.valueEnd(b, start, to);
        return end - start == CHUNKED.length && sameLowerCase(b, start, CHUNKED);
    }

    private static boolean isContentLength(byte[] b, int nameStart, int length) {
        return length == CONTENT_LENGTH.length && sameLowerCase(b, nameStart, CONTENT_LENGTH);
    }

    /** The value of the digits {@code b[from, to)}: at most 18 of them (the scanner's rule), so it cannot overflow. */
    private static long contentLength(byte[] b, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    /**
     * Whether Netty's decoder, given the whole head at once, stays within its limits: it skips the leading CRLFs
     * only within {@code maxInitialLineLength} bytes, takes a request line of at most that many bytes (CRLF not
     * counted) and field lines of at most {@code maxHeaderSize} bytes in all (CRLFs not counted).
     */
    private boolean withinNettyLimits(RequestHeadScanner head) {
        int lineStart = head.lineStart();
        if (lineStart >= maxInitialLineLength || head.lineEnd() - lineStart > maxInitialLineLength) {
            return false;
        }
        long bytes = head.fieldLineBytes();
        fieldBytes = (int) Math.min(bytes, Integer.MAX_VALUE);
        return bytes <= maxHeaderSize;
    }

    /**
     * Whether the bytes at {@code index} are {@code lower} in any letter case: a name (token bytes only), or a value
     * compared with letters only.
     */
    private static boolean sameLowerCase(byte[] b, int index, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            // (b | 0x20) lower-cases letters and keeps digits and '-'; no other token byte maps onto those, and no
            // byte but a letter's two cases maps onto a letter
            if ((b[index + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static HttpMethod method(byte[] b, int index, int length) {
        for (HttpMethod shared : StrictRequestDecoder.SHARED_METHODS) {
            if (HttpGrammar.sameText(shared.name(), b, index, length)) {
                return shared;
            }
        }
        return HttpMethod.valueOf(latin1(b, index, length)); // a constant for CONNECT and QUERY, else a new one
    }

    /**
     * One char per byte, bytes 0x80-0xFF (obs-text, allowed in values) as U+0080-U+00FF: what Netty's decoder makes
     * of them ({@code new String(bytes, 0, start, length)}). ISO-8859-1 is that mapping by definition.
     */
    private static String latin1(byte[] b, int index, int length) {
        return new String(b, index, length, StandardCharsets.ISO_8859_1);
    }
}
