package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The checks a backend's response head must pass before any of it reaches a client; a response that fails is
 * answered with 502 {@code upstream_bad_response} and its connection is closed, never pooled. Netty's response
 * decoder (strict line parsing, header validation, RFC 9112 framing) already refuses bare LF, CR or NUL in
 * fields, duplicate or signed {@code Content-Length}, and {@code Content-Length} with
 * {@code Transfer-Encoding}; this adds:
 * <ul>
 *   <li>a status outside 100..599, and 101 (Sluice never switches protocols on behalf of a client);</li>
 *   <li>{@code Transfer-Encoding} other than exactly one field {@code chunked}: Sluice re-frames bodies
 *       itself and implements no other transfer coding, so it could not pass such a body on intact;</li>
 *   <li>more than one {@code Content-Length} field.</li>
 * </ul>
 * Whitespace before a colon and obs-fold in a response are repaired by Netty's decoder as RFC 9112 requires of
 * a proxy (removed, and replaced by SP), so they are not refused.
 *
 * <p>Stateless; called on event loops. Allocates only when the response carries {@code Transfer-Encoding}.
 */
final class ResponseHeadValidator {

    private ResponseHeadValidator() {
    }

    /** Whether {@code head}, decoded without a fault, may be passed on to the client. */
    static boolean isAcceptable(HttpResponse head) {
        int status = head.status().code();
        if (status < 100 || status > 599 || status == 101) {
            return false;
        }
        HttpHeaders h = head.headers();
        if (RequestHeadValidator.count(h, HttpHeaderNames.CONTENT_LENGTH) > 1) {
            return false;
        }
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return RequestHeadValidator.count(h, HttpHeaderNames.TRANSFER_ENCODING) == 1
                    && !h.contains(HttpHeaderNames.CONTENT_LENGTH)
                    && HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(h.get(HttpHeaderNames.TRANSFER_ENCODING));
        }
        return true;
    }
}
