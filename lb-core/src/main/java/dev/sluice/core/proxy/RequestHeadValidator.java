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

import java.util.Iterator;

/**
 * The semantic checks a decoded request head must pass before it is routed; the byte-level grammar was already
 * enforced by {@link StrictRequestDecoder}. A non-null answer is the reply to send, after which the connection
 * closes: the framing of whatever follows cannot be trusted.
 *
 * <p>Rules (RFC 9110, RFC 9112), beyond the decoder's:
 * <ul>
 *   <li>decoder faults map to their reply: line too long 414, head too large or too many fields 431, a
 *       refused grammar its own reply, anything else 400;</li>
 *   <li>{@code CONNECT} is 400: Sluice is a reverse proxy and opens no tunnels; its authority-form target is not
 *       a resource Sluice serves, so the request is malformed for this server rather than a known method not
 *       allowed on a resource (which would be 405);</li>
 *   <li>framing: {@code Transfer-Encoding} in a request older than HTTP/1.1 is 400 (RFC 9112 section 6.1: its
 *       framing is faulty; Netty's decoder refuses it too, this holds whatever decoded the head);
 *       {@code Content-Length} together with {@code Transfer-Encoding} is 400; more than one
 *       {@code Transfer-Encoding} field is 400; a value other than exactly {@code chunked} is 501 when it is a
 *       well-formed list of codings ending in {@code chunked} (codings Sluice does not implement), else 400; the
 *       obsolete WebSocket draft-76 handshake, whose 8-byte body has no framing field, is 400;</li>
 *   <li>request-target: {@code *} only with {@code OPTIONS}; origin-form; absolute-form only with scheme
 *       {@code http} or {@code https}, no userinfo, and an authority equal (ignoring case) to {@code Host}, after
 *       which the target is rewritten to origin-form so routing and the backend see one host; anything else is
 *       400;</li>
 *   <li>{@code Host}: HTTP/1.1 needs exactly one, HTTP/1.0 at most one; it must be {@code uri-host [":" port]}
 *       with a reg-name, IPv4 or bracketed IPv6 host and a port of 1 to 5 digits;</li>
 *   <li>{@code Expect}: only one {@code 100-continue} in HTTP/1.1 (else 417); ignored and removed in HTTP/1.0.</li>
 * </ul>
 *
 * <p>Stateless; called on event loops. Allocates only for requests that carry {@code Transfer-Encoding} or an
 * absolute-form target, and when refusing.
 */
final class RequestHeadValidator {

    private RequestHeadValidator() {
    }

    /** The reply refusing {@code req}, or {@code null} when it may proceed. May rewrite the target or drop Expect. */
    static LocalReply check(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            return decoderFault(req.decoderResult().cause());
        }
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1 || v.minorVersion() > 1) {
            return LocalReply.HTTP_VERSION_NOT_SUPPORTED;
        }
        if (HttpMethod.CONNECT.equals(req.method())) {
            return LocalReply.BAD_REQUEST;
        }
        HttpHeaders h = req.headers();
        boolean http11 = v.minorVersion() == 1;
        LocalReply framing = checkFraming(h, http11);
        if (framing != null) {
            return framing;
        }
        int hosts = count(h, HttpHeaderNames.HOST);
        if (hosts > 1 || (http11 && hosts == 0) || (hosts == 1 && !RequestTarget.isValidHost(h.get(HttpHeaderNames.HOST)))) {
            return LocalReply.BAD_REQUEST;
        }
        if (!RequestTarget.normalize(req)) {
            return LocalReply.BAD_REQUEST;
        }
        return checkExpect(h, http11);
    }

    private static LocalReply decoderFault(Throwable cause) {
        if (cause instanceof StrictRequestDecoder.Refusal refusal) {
            return refusal.reply();
        }
        if (cause instanceof TooLongHttpLineException) {
            return LocalReply.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return LocalReply.HEADER_TOO_LARGE;
        }
        return LocalReply.BAD_REQUEST;
    }

    private static LocalReply checkFraming(HttpHeaders h, boolean http11) {
        if (h.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY1) || h.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY2)) {
            return LocalReply.BAD_REQUEST;
        }
        if (!h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null;
        }
        if (!http11 || h.contains(HttpHeaderNames.CONTENT_LENGTH)
                || count(h, HttpHeaderNames.TRANSFER_ENCODING) != 1) {
            return LocalReply.BAD_REQUEST;
        }
        String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(te)) {
            return null;
        }
        return isCodingListEndingInChunked(te) ? LocalReply.NOT_IMPLEMENTED : LocalReply.BAD_REQUEST;
    }

    /** {@code 1#token} with OWS around the commas, whose last element is {@code chunked} and no other is. */
    static boolean isCodingListEndingInChunked(String value) {
        String[] codings = value.split(",", -1);
        for (int i = 0; i < codings.length; i++) {
            String c = codings[i].strip();
            if (!HttpGrammar.isToken(c) || (i < codings.length - 1) == HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(c)) {
                return false;
            }
        }
        return true;
    }

    private static LocalReply checkExpect(HttpHeaders h, boolean http11) {
        String expect = h.get(HttpHeaderNames.EXPECT);
        if (expect == null) {
            return null;
        }
        if (!http11) {
            h.remove(HttpHeaderNames.EXPECT); // HTTP/1.0 has no expectations; ignore it
            return null;
        }
        if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim()) || count(h, HttpHeaderNames.EXPECT) != 1) {
            return LocalReply.EXPECTATION_FAILED;
        }
        return null;
    }

    /** How many fields named {@code name} the head has. */
    static int count(HttpHeaders h, CharSequence name) {
        if (h instanceof HeadFields fields) {
            return fields.count(name); // counts in place; the generic way below makes a list of the values
        }
        if (!h.contains(name)) {
            return 0;
        }
        int n = 0;
        for (Iterator<? extends CharSequence> it = h.valueCharSequenceIterator(name); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }
}
