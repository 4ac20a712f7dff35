package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * The upstream side's HTTP/1.1 codec: a request encoder and a response decoder that pairs each response with
 * the request it answers (so a response to HEAD has no body), as Netty's client codec does, plus one rule:
 * a backend may only send bytes that a request asked for. Bytes arriving while no response is due (after a
 * response longer than its framing said, or on an idle pooled connection) become one failed response and
 * everything after it is discarded, so the connection is closed instead of answering the next request with
 * the leftovers of the previous one.
 *
 * <p>Confined to its connection's event loop. Allocates nothing per exchange beyond Netty's codecs.
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {

    /** The refusal carried by the failed response made of unrequested bytes; shared, stackless, never thrown. */
    private static final Exception UNREQUESTED_BYTES = new Exception("bytes from the backend that no request asked for",
            null, false, false) {
    };

    private final HeadRequestQueue requests = new HeadRequestQueue();
    /** Requests sent whose final response has not ended yet. */
    private int awaiting;

    UpstreamCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(config), new RequestEncoder());
    }

    private final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
            requests.requestDecoded(HttpMethod.HEAD.equals(request.method()));
            awaiting++;
            super.encodeInitialLine(buf, request);
        }
    }

    private final class ResponseDecoder extends HttpResponseDecoder {
        private boolean interim;
        private boolean discarding;

        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (discarding) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (awaiting == 0) {
                discarding = true;
                in.skipBytes(in.readableBytes());
                HttpResponse failed = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
                failed.setDecoderResult(DecoderResult.failure(UNREQUESTED_BYTES));
                out.add(failed);
                return;
            }
            int before = out.size();
            super.decode(ctx, in, out);
            for (int i = before; i < out.size(); i++) {
                Object msg = out.get(i);
                if (msg instanceof HttpResponse r) {
                    interim = r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
                    discarding |= r.decoderResult().isFailure();
                }
                if (msg instanceof LastHttpContent last) {
                    discarding |= last.decoderResult().isFailure();
                    if (!interim) {
                        awaiting--;
                    }
                }
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (discarding) {
                in.skipBytes(in.readableBytes());
                return;
            }
            super.decodeLast(ctx, in, out);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // interim responses answer no request of their own
            }
            return requests.finalResponseStarted() || super.isContentAlwaysEmpty(msg);
        }

        /** A failed head without a body buffer, so a refused response holds nothing that needs releasing. */
        @Override
        protected HttpMessage createInvalidMessage() {
            return new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.BAD_GATEWAY);
        }
    }
}
