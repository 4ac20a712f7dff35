package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * The client side's HTTP/1.1 codec: a {@link StrictRequestDecoder} paired with a response encoder that knows
 * which responses answer HEAD requests (their fields describe a body that is not sent), as Netty's server
 * codec does. Sluice refuses CONNECT, so no response here ever opens a tunnel.
 *
 * <p>Responses relayed from a backend are already bytes: between {@link #relayStarted} and {@link #relayEnded} the
 * encoder passes buffers through untouched, and only Sluice's own replies are encoded.
 *
 * <p>Confined to its connection's event loop.
 */
final class FrontendCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, HttpResponseEncoder> {

    private final HeadRequestQueue requests = new HeadRequestQueue();
    private final ResponseEncoder encoder = new ResponseEncoder(requests);

    FrontendCodec(HttpDecoderConfig config, int maxFields) {
        init(new StrictRequestDecoder(config, maxFields, requests), encoder);
    }

    /**
     * A relayed response's bytes follow; {@code finalResponse} when it answers the oldest request (not a 1xx).
     */
    void relayStarted(boolean finalResponse) {
        if (finalResponse) {
            requests.finalResponseStarted();
        }
        encoder.relaying = true;
    }

    /** The relayed response ended (or was abandoned): the encoder encodes again. */
    void relayEnded() {
        encoder.relaying = false;
    }

    /** The exchange of {@code request} has ended: the decoder may build a later head into it. */
    void recycle(HttpRequest request) {
        inboundHandler().recycle(request);
    }

    private static final class ResponseEncoder extends HttpResponseEncoder {
        private final HeadRequestQueue requests;
        boolean relaying;

        ResponseEncoder(HeadRequestQueue requests) {
            this.requests = requests;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (relaying && msg instanceof ByteBuf) {
                ctx.write(msg, promise);
            } else {
                super.write(ctx, msg, promise);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // interim responses answer no request of their own
            }
            return requests.finalResponseStarted() || super.isContentAlwaysEmpty(msg);
        }
    }
}
