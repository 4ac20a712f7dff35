package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Decides how a backend's final response is framed towards the client, and whether the upstream
 * connection can be reused afterwards. Framing is always Sluice's own: the backend's hop-by-hop fields are
 * removed and one of {@code Content-Length} or chunked is set, or, for an HTTP/1.0 client and a body of
 * unknown length, the connection close delimits the body.
 */
final class ResponseFraming {

    private ResponseFraming() {
    }

    /**
     * Rewrites {@code head} in place and records the client-side decisions in {@code state}.
     *
     * @return whether the upstream connection stays reusable after this response
     */
    static boolean prepare(HttpResponse head, ResponseState state, boolean headRequest, boolean http10Client) {
        HttpHeaders h = head.headers();
        int status = head.status().code();
        boolean chunked = HttpUtil.isTransferEncodingChunked(head);
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean reusable = HttpUtil.isKeepAlive(head) && head.protocolVersion() == HttpVersion.HTTP_1_1;
        boolean bodiless = headRequest || status == 204 || status == 304;
        ForwardingHeaders.stripHopByHop(h);
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (bodiless) {
            if (chunked && headRequest && !http10Client) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED); // describes the GET
            }
            return reusable;
        }
        if (chunked) {
            if (http10Client) {
                state.closeClient = true; // no chunked coding in HTTP/1.0: the close ends the body
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                state.chunkedToClient = true;
            }
            return reusable;
        }
        if (!hasLength) {
            // Close-delimited body from the backend: the upstream cannot be reused; re-frame for the client.
            if (http10Client) {
                state.closeClient = true;
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                state.chunkedToClient = true;
            }
            return false;
        }
        return reusable;
    }
}
