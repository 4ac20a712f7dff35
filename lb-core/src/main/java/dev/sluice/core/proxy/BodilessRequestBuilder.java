package dev.sluice.core.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * Builds the request of a head that {@link RequestHeadScanner} accepted, from the positions the scanner recorded,
 * so that the head is not parsed a second time by Netty's decoder. Only for a head Netty would decode into a
 * request without a body and without a fault; {@link #build} answers {@code null} for any other head, which then
 * goes to Netty as before.
 *
 * <p>The request is the one {@link StrictRequestDecoder}'s Netty path makes, field for field: the same
 * {@link HttpMethod} (a shared constant for the standard methods, else {@link HttpMethod#valueOf}), URI string and
 * {@link HttpVersion} constant; a header map from the decoder's factory holding every field line in order,
 * duplicates kept, names shared ({@link CommonFieldNames}) or copied as an {@link AsciiString}, values as
 * {@code String}s with leading and trailing SP and HTAB trimmed. Its decoder result is the default success (Netty's
 * path sets a success that also carries the head's sizes, which nothing in Sluice reads).
 *
 * <p>It reads the head from the copy the scanner kept ({@link RequestHeadScanner#headBytes()}): plain array reads,
 * where reading a (direct) buffer byte by byte and decoding each value from it cost more than Netty's own parsing.
 *
 * <p>Confined to its decoder's event loop. Allocates what Netty's path allocates for the request and its fields
 * (the request, its header entries, a String per value, an {@link AsciiString} per uncommon name), and otherwise
 * nothing.
 */
final class BodilessRequestBuilder {

    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBSOCKET_KEY = "sec-websocket-key".getBytes(StandardCharsets.US_ASCII);

    private final HttpHeadersFactory headersFactory;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    /**
     * @param headersFactory       the factory of the decoder's header maps
     * @param maxInitialLineLength the decoder's limit on the request line, in bytes without its CRLF
     * @param maxHeaderSize        the decoder's limit on the field lines, in bytes without their CRLFs
     */
    BodilessRequestBuilder(HttpHeadersFactory headersFactory, int maxInitialLineLength, int maxHeaderSize) {
        this.headersFactory = headersFactory;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * The request of the complete, accepted head recorded and kept by {@code head}, or {@code null} when Netty
     * must decode it: it may have a body, Netty would refuse its size, its fields need the decoder's own handling,
     * or the scanner did not keep it.
     */
    HttpRequest build(RequestHeadScanner head) {
        byte[] b = head.headBytes();
        if (b == null || head.sawContentLength() || head.sawUnderscoreName() || !withinNettyLimits(head)
                || !decodesWithoutBody(b, head)) {
            return null;
        }
        int lineStart = head.lineStart();
        int methodEnd = head.methodEnd();
        int targetEnd = head.targetEnd();
        HttpMethod method = method(b, lineStart, methodEnd - lineStart);
        String uri = latin1(b, methodEnd + 1, targetEnd - methodEnd - 1);
        HttpVersion version = head.minorVersion() == 1 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        HttpRequest request = new DefaultHttpRequest(version, method, uri, headersFactory);
        HttpHeaders headers = request.headers();
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            int nameStart = head.nameStart(i);
            int colon = head.colon(i);
            headers.add(name(b, nameStart, colon - nameStart), value(b, colon + 1, head.fieldLineEnd(i)));
        }
        return request;
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
     * Whether Netty would decode the head into a request with no body and no fault. Netty reads a body when the
     * head has {@code Content-Length} or {@code Transfer-Encoding}, or both {@code Sec-WebSocket-Key1} and
     * {@code Key2} on a GET (a Hixie-76 handshake, 8 bytes of body). Names with '_' are left to the decoder, which
     * drops them.
     */
    private static boolean decodesWithoutBody(byte[] b, RequestHeadScanner head) {
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            int nameStart = head.nameStart(i);
            int length = head.colon(i) - nameStart;
            // only names of these two lengths need a look at their bytes
            if (length == TRANSFER_ENCODING.length && sameLowerCase(b, nameStart, TRANSFER_ENCODING)
                    || length == WEBSOCKET_KEY.length + 1 && sameLowerCase(b, nameStart, WEBSOCKET_KEY)) {
                return false;
            }
        }
        return true;
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
        long fieldBytes = 0;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            fieldBytes += head.fieldLineEnd(i) - head.nameStart(i);
        }
        return fieldBytes <= maxHeaderSize;
    }

    /** Whether the name at {@code index} is {@code lower} in any letter case (a name holds only token bytes). */
    private static boolean sameLowerCase(byte[] b, int index, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            // (b | 0x20) lower-cases letters and keeps digits and '-'; no other token byte maps onto those
            if ((b[index + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static HttpMethod method(byte[] b, int index, int length) {
        for (HttpMethod shared : StrictRequestDecoder.SHARED_METHODS) {
            if (HttpGrammar.sameAscii(shared.name(), b, index, length)) {
                return shared;
            }
        }
        return HttpMethod.valueOf(latin1(b, index, length)); // a constant for CONNECT and QUERY, else a new one
    }

    /** As the decoder names a field: a shared name, else a copy of the bytes. */
    private static AsciiString name(byte[] b, int index, int length) {
        AsciiString common = CommonFieldNames.find(b, index, length);
        return common != null ? common : new AsciiString(b, index, length, true);
    }

    /** The value between the colon at {@code from - 1} and the CR at {@code to}, SP and HTAB trimmed as Netty does. */
    private static String value(byte[] b, int from, int to) {
        while (from < to && isOws(b[from])) {
            from++;
        }
        while (to > from && isOws(b[to - 1])) {
            to--;
        }
        return from == to ? "" : latin1(b, from, to - from);
    }

    private static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * One char per byte, bytes 0x80-0xFF (obs-text, allowed in values) as U+0080-U+00FF: what Netty's decoder makes
     * of them ({@code new String(bytes, 0, start, length)}). ISO-8859-1 is that mapping by definition.
     */
    private static String latin1(byte[] b, int index, int length) {
        return new String(b, index, length, StandardCharsets.ISO_8859_1);
    }
}
