package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the HTTP decoder and tells the {@link FrontendHandler} how many bytes each read
 * brought (that starts the request-head deadline at the first byte and keeps the body-read deadline fresh) and
 * when each socket read ended (the flow-control stage behind the decoder does not always pass that on, and the
 * frontend flushes the upstream once per read). Confined to the connection's loop; passes every event on untouched.
 */
final class InboundBytesCounter extends ChannelInboundHandlerAdapter {

    private final FrontendHandler frontend;

    InboundBytesCounter(FrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            frontend.onInboundBytes(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        frontend.onInboundReadComplete();
        ctx.fireChannelReadComplete();
    }
}
