package dev.sluice.core.proxy;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * The client side's HTTP/1.1 codec: a {@link StrictRequestDecoder} paired with a response encoder that knows
 * which responses answer HEAD requests (their fields describe a body that is not sent), as Netty's server
 * codec does. Sluice refuses CONNECT, so no response here ever opens a tunnel.
 *
 * <p>Confined to its connection's event loop.
 */
final class FrontendCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, HttpResponseEncoder> {

    FrontendCodec(HttpDecoderConfig config, int maxFields) {
        HeadRequestQueue requests = new HeadRequestQueue();
        init(new StrictRequestDecoder(config, maxFields, requests), new ResponseEncoder(requests));
    }

    private static final class ResponseEncoder extends HttpResponseEncoder {
        private final HeadRequestQueue requests;

        ResponseEncoder(HeadRequestQueue requests) {
            this.requests = requests;
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
