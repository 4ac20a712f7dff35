package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;

/**
 * The upstream side's request encoder: Netty's, telling the connection's {@link ResponseReader} of every request
 * head it writes, so the reader knows how many responses are due and which answer HEAD requests (no body).
 *
 * <p>Confined to its connection's event loop.
 */
final class UpstreamRequestEncoder extends HttpRequestEncoder {

    private final ResponseReader responses;

    UpstreamRequestEncoder(ResponseReader responses) {
        this.responses = responses;
    }

    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
        responses.requestSent(HttpMethod.HEAD.equals(request.method()));
        super.encodeInitialLine(buf, request);
    }
}
