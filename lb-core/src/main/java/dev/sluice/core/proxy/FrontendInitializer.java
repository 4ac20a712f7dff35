package dev.sluice.core.proxy;

import dev.sluice.core.config.ListenerLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Builds the pipeline of an accepted client connection on the loop that accepted it:
 * byte counter, strict HTTP/1.1 codec (limits from the listener), one-message-per-read flow control, proxy stage.
 */
final class FrontendInitializer extends ChannelInitializer<Channel> {

    private final Worker worker;
    private final ListenerRuntime listener;

    FrontendInitializer(Worker worker, ListenerRuntime listener) {
        this.worker = worker;
        this.listener = listener;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setAutoRead(false);
        ListenerLimits limits = listener.routing().config().limits();
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                // RequestHeadScanner and ChunkedBodyScanner check every name and value byte before Netty parses
                // them: a header map that checks them again costs 150-300 ns per typical browser request
                .setHeadersFactory(HttpGrammar.CHECKED_FIELDS)
                .setTrailersFactory(HttpGrammar.CHECKED_TRAILERS);
        FrontendHandler frontend = new FrontendHandler(worker, listener);
        ch.pipeline()
                .addLast("bytes", new InboundBytesCounter(frontend))
                .addLast("http", new FrontendCodec(decoder, limits.maxHeaders()))
                .addLast("flow", new FlowControlHandler())
                .addLast("proxy", frontend);
    }
}
