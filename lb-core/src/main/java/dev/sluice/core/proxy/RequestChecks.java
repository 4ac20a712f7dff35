package dev.sluice.core.proxy;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * The checks Sluice adds to Netty's parser before a request head may be routed. Stateless; event loops.
 * A non-null answer is the local reply to send; the connection is then closed, since the framing of what
 * follows cannot be trusted.
 */
final class RequestChecks {

    private RequestChecks() {
    }

    /** The reply refusing {@code req}, or {@code null} when it may proceed. May remove ignorable fields. */
    static LocalReply check(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return LocalReply.URI_TOO_LONG;
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return LocalReply.HEADER_TOO_LARGE;
            }
            return LocalReply.BAD_REQUEST;
        }
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1 || v.minorVersion() > 1) {
            return LocalReply.HTTP_VERSION_NOT_SUPPORTED;
        }
        if (HttpMethod.CONNECT.equals(req.method())) {
            return LocalReply.BAD_REQUEST; // Sluice is a reverse proxy: no tunnels
        }
        HttpHeaders h = req.headers();
        if (v.minorVersion() == 1 && !hasExactlyOneHost(h)) {
            return LocalReply.BAD_REQUEST;
        }
        String expect = h.get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (v.minorVersion() == 0) {
                h.remove(HttpHeaderNames.EXPECT); // HTTP/1.0 has no expectations; ignore it
            } else if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())
                    || h.getAll(HttpHeaderNames.EXPECT).size() != 1) {
                return LocalReply.EXPECTATION_FAILED;
            }
        }
        return null;
    }

    private static boolean hasExactlyOneHost(HttpHeaders h) {
        String host = h.get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty()) {
            return false;
        }
        return h.getAll(HttpHeaderNames.HOST).size() == 1;
    }
}
