package dev.sluice.core.proxy;

import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;

/**
 * The trailer-field factory of one decoder. A body framed by {@code Content-Length} has no trailer section, so
 * the last part of such a body gets the shared, read-only empty set; only a message that carries
 * {@code Transfer-Encoding} gets a real set, which the decoder fills from the chunked trailer section. Netty's own
 * factory gives every last part a fresh, empty map: four objects, about 190 bytes, per message with a body.
 *
 * <p>Confined to its decoder's event loop. The decoder reports each message head it creates
 * ({@link #messageStarted}); trailers are asked for only while that message's body is decoded.
 */
final class BodyTrailers implements HttpHeadersFactory {

    private final HttpHeadersFactory real;
    private HttpMessage current;

    private BodyTrailers(HttpHeadersFactory real) {
        this.real = real;
    }

    /** A copy of {@code config} whose trailers come from a new {@code BodyTrailers} wrapping its own factory. */
    static HttpDecoderConfig install(HttpDecoderConfig config) {
        HttpDecoderConfig copy = config.clone();
        return copy.setTrailersFactory(new BodyTrailers(config.getTrailersFactory()));
    }

    /** The decoder created {@code head}; the trailers asked for next end its body. */
    void messageStarted(HttpMessage head) {
        current = head;
    }

    @Override
    public HttpHeaders newHeaders() {
        HttpMessage head = current;
        if (head != null && !head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return EmptyHttpHeaders.INSTANCE;
        }
        return real.newHeaders();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
        return real.newEmptyHeaders();
    }
}
