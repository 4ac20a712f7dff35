package dev.sluice.core.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of an upstream connection's pipeline: hands decoded response parts to the
 * {@link FrontendHandler} that currently owns the connection, or, while the connection idles in its pool,
 * closes it on any unexpected input.
 *
 * <p>Confined to the event loop of the connection, which is also the loop of every frontend that uses it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);

    private final UpstreamPool pool;
    private final int maxResponseHeaderBytes;
    private ChannelHandlerContext ctx;
    private FrontendHandler owner;
    private long idleSinceNanos;
    private boolean reused;
    private boolean closed;

    UpstreamHandler(UpstreamPool pool, int maxResponseHeaderBytes) {
        this.pool = pool;
        this.maxResponseHeaderBytes = maxResponseHeaderBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // The codec goes in front of this stage; it pairs responses with the requests it encoded, so HEAD
        // responses and 1xx interim responses are framed correctly, and refuses bytes no request asked for.
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(maxResponseHeaderBytes)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true);
        ctx.pipeline().addBefore(ctx.name(), "http", new UpstreamCodec(decoder));
        ctx.channel().config().setAutoRead(false);
    }

    UpstreamPool pool() {
        return pool;
    }

    Channel channel() {
        return ctx.channel();
    }

    boolean isActive() {
        return !closed && ctx.channel().isActive();
    }

    /** Whether this connection served an earlier exchange (its failure may be a stale keep-alive race). */
    boolean isReused() {
        return reused;
    }

    /**
     * Hands the connection to {@code frontend} for one exchange and starts reading the response. Reads are
     * explicit (auto-read is off): the frontend asks for more only while its client keeps up.
     */
    void attach(FrontendHandler frontend, boolean fromPool) {
        this.owner = frontend;
        this.reused = fromPool;
        ctx.channel().read();
    }

    /** Ends the exchange's ownership; the caller then releases or closes the connection. */
    void detach() {
        this.owner = null;
    }

    /** Parks the connection in its pool, keeping a read posted so a close or stray bytes are noticed. */
    void markIdle(long nowNanos) {
        this.idleSinceNanos = nowNanos;
        ctx.channel().read();
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void close() {
        closed = true;
        owner = null;
        ctx.channel().close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pool.counters().connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FrontendHandler o = owner;
        if (o != null) {
            o.onUpstreamRead(this, msg);
        } else {
            // Bytes on an idle connection: the backend broke framing or is closing. Never reuse it.
            ReferenceCountUtil.release(msg);
            pool.onIdleClosed(this);
            close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FrontendHandler o = owner;
        if (o != null) {
            o.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        FrontendHandler o = owner;
        if (o != null) {
            o.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        pool.counters().connectionClosed();
        FrontendHandler o = owner;
        owner = null;
        if (o != null) {
            o.onUpstreamClosed(this);
        } else {
            pool.onIdleClosed(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (resets) end in channelInactive, where the owner hears of them as an upstream reset.
        LOG.debug("upstream {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.channel().close();
    }
}
