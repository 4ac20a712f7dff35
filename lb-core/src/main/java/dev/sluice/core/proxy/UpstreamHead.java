package dev.sluice.core.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An exchange's request head as it is written upstream: a view of the client's head that also carries the
 * exchange's {@link ForwardingFields}, which {@link UpstreamRequestEncoder} writes after the head's own fields.
 * The body, if any, follows as separate messages.
 *
 * <p>A view: every call goes to the {@link HttpRequest} it {@link #wraps wraps}. One per client connection,
 * re-pointed for each exchange, so every attempt of an exchange (a retry too) writes the same head. Confined to its
 * connection's event loop.
 */
class UpstreamHead implements HttpRequest {

    private HttpRequest request;
    private ForwardingFields forwarding;

    /** Points this view at {@code request}, with the fields {@code forwarding} adds; returns this view. */
    UpstreamHead wraps(HttpRequest request, ForwardingFields forwarding) {
        this.request = request;
        this.forwarding = forwarding;
        return this;
    }

    /** The forwarding fields written after the head's own. */
    final ForwardingFields forwarding() {
        return forwarding;
    }

    /** The client's head this view shows. */
    final HttpRequest request() {
        return request;
    }

    @Override
    public HttpHeaders headers() {
        return request.headers();
    }

    @Override
    public HttpMethod method() {
        return request.method();
    }

    @Override
    @Deprecated
    public HttpMethod getMethod() {
        return request.method();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    @Deprecated
    public String getUri() {
        return request.uri();
    }

    @Override
    public HttpVersion protocolVersion() {
        return request.protocolVersion();
    }

    @Override
    @Deprecated
    public HttpVersion getProtocolVersion() {
        return request.protocolVersion();
    }

    @Override
    public DecoderResult decoderResult() {
        return request.decoderResult();
    }

    @Override
    @Deprecated
    public DecoderResult getDecoderResult() {
        return request.decoderResult();
    }

    @Override
    public void setDecoderResult(DecoderResult result) {
        request.setDecoderResult(result);
    }

    @Override
    public HttpRequest setProtocolVersion(HttpVersion version) {
        request.setProtocolVersion(version);
        return this;
    }

    @Override
    public HttpRequest setMethod(HttpMethod method) {
        request.setMethod(method);
        return this;
    }

    @Override
    public HttpRequest setUri(String uri) {
        request.setUri(uri);
        return this;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + request + ")";
    }
}
