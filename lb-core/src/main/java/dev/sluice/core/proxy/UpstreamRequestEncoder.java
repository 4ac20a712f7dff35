package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;

/**
 * The upstream side's request encoder: Netty's, telling the connection's {@link ResponseReader} of every request
 * head it writes, so the reader knows how many responses are due and which answer HEAD requests (no body);
 * writing the fields of a head decoded without Netty from its bytes ({@link HeadFields}); and writing an
 * {@link UpstreamHead}'s {@link ForwardingFields} after the head's own fields.
 *
 * <p>Confined to its connection's event loop.
 */
final class UpstreamRequestEncoder extends HttpRequestEncoder {

    private final ResponseReader responses;
    /** The forwarding fields of the head being encoded, between its request line and its fields; else null. */
    private ForwardingFields forwarding;

    UpstreamRequestEncoder(ResponseReader responses) {
        this.responses = responses;
    }

    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
        responses.requestSent(HttpMethod.HEAD.equals(request.method()));
        forwarding = request instanceof UpstreamHead head ? head.forwarding() : null;
        super.encodeInitialLine(buf, request);
    }

    /**
     * The head's fields (Netty's encoder calls this right after {@link #encodeInitialLine}), then the forwarding
     * ones. {@link HeadFields} write themselves, from the head's bytes, with no iterator and no entry per field.
     */
    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (headers instanceof HeadFields fields) {
            fields.writeTo(buf);
        } else {
            super.encodeHeaders(headers, buf);
        }
        ForwardingFields fields = forwarding;
        if (fields != null) {
            forwarding = null; // trailers are encoded here too, and get none
            fields.writeTo(buf);
        }
    }
}
