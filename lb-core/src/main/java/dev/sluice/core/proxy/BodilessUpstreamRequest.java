package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A request head with no body, written upstream as one message that is the head and the end of the request
 * together, so Netty's request encoder makes one buffer of it in one pass through the pipeline, where a head and
 * then an empty last part take two passes and two entries in the connection's outbound buffer.
 *
 * <p>An {@link UpstreamHead} whose content is always empty. It is not reference counted: the encoder's release
 * after writing it is a no-op, so the same view (one per client connection, re-pointed for each exchange) can be
 * written again by a retry. {@link #copy}, {@link #duplicate} and {@link #replace} answer independent requests
 * (without the forwarding fields, which only the encoder writes). Confined to its connection's event loop.
 */
final class BodilessUpstreamRequest extends UpstreamHead implements FullHttpRequest {

    @Override
    BodilessUpstreamRequest wraps(HttpRequest request, ForwardingFields forwarding) {
        super.wraps(request, forwarding);
        return this;
    }

    @Override
    public ByteBuf content() {
        return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public HttpHeaders trailingHeaders() {
        return EmptyHttpHeaders.INSTANCE;
    }

    @Override
    public FullHttpRequest setProtocolVersion(HttpVersion version) {
        super.setProtocolVersion(version);
        return this;
    }

    @Override
    public FullHttpRequest setMethod(HttpMethod method) {
        super.setMethod(method);
        return this;
    }

    @Override
    public FullHttpRequest setUri(String uri) {
        super.setUri(uri);
        return this;
    }

    @Override
    public FullHttpRequest copy() {
        return replace(Unpooled.EMPTY_BUFFER);
    }

    @Override
    public FullHttpRequest duplicate() {
        return copy();
    }

    @Override
    public FullHttpRequest retainedDuplicate() {
        return copy();
    }

    @Override
    public FullHttpRequest replace(ByteBuf content) {
        HttpRequest request = request();
        DefaultFullHttpRequest copy = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), content);
        copy.headers().set(request.headers());
        copy.setDecoderResult(request.decoderResult());
        return copy;
    }

    @Override
    public int refCnt() {
        return 1;
    }

    @Override
    public FullHttpRequest retain() {
        return this;
    }

    @Override
    public FullHttpRequest retain(int increment) {
        return this;
    }

    @Override
    public FullHttpRequest touch() {
        return this;
    }

    @Override
    public FullHttpRequest touch(Object hint) {
        return this;
    }

    @Override
    public boolean release() {
        return false;
    }

    @Override
    public boolean release(int decrement) {
        return false;
    }
}
