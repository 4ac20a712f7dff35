package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of an upstream connection's pipeline: reads the backend's bytes as responses
 * ({@link ResponseReader}) and hands heads and body parts to the {@link UpstreamLease} of the client connection
 * that currently holds it, or, while the connection idles in its pool, closes it on any unexpected input.
 *
 * <p>Confined to the event loop of the connection, which is also the loop of every frontend that uses it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter implements ResponseReader.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);

    private final UpstreamPool pool;
    private final int maxResponseHeaderBytes;
    private ChannelHandlerContext ctx;
    private ResponseReader responses;
    private UpstreamLease owner;
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
        // The request encoder goes in front of this stage and tells the reader of every request sent, so the
        // reader knows which responses are due and which answer HEAD requests.
        responses = new ResponseReader(maxResponseHeaderBytes, ctx.alloc());
        ctx.pipeline().addBefore(ctx.name(), "http", new UpstreamRequestEncoder(responses));
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

    /** Whether the connection may go back to its pool: every response on it was well framed and kept it open. */
    boolean reusable() {
        return responses.reusable();
    }

    /** Asked while a response head is delivered: hand over that chunked body's data without its framing. */
    void dechunkBody() {
        responses.dechunk();
    }

    /** Whether this connection served an earlier exchange (its failure may be a stale keep-alive race). */
    boolean isReused() {
        return reused;
    }

    /**
     * Hands the connection to {@code lease} for one exchange and starts reading the response. Reads are
     * explicit (auto-read is off): the frontend asks for more only while its client keeps up.
     */
    void attach(UpstreamLease lease, boolean fromPool) {
        this.owner = lease;
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
        responses.stop();
        ctx.channel().close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pool.counters().connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null && msg instanceof ByteBuf bytes) {
            responses.read(bytes, this);
        } else {
            // Bytes on an idle connection: the backend broke framing or is closing. Never reuse it.
            ReferenceCountUtil.release(msg);
            pool.onIdleClosed(this);
            close();
        }
    }

    @Override
    public void onResponseHead(ResponseHead head) {
        UpstreamLease o = owner;
        if (o != null) {
            o.onResponseHead(this, head);
        }
    }

    @Override
    public void onResponseBody(ByteBuf part, boolean last) {
        UpstreamLease o = owner;
        if (o != null) {
            o.onResponseBody(this, part, last);
        } else {
            part.release();
        }
    }

    @Override
    public void onResponseFailed() {
        UpstreamLease o = owner;
        if (o != null) {
            o.onResponseFailed(this);
        } else {
            close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamLease o = owner;
        if (o != null) {
            o.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamLease o = owner;
        if (o != null) {
            o.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (owner != null) {
            responses.inputClosed(this); // a body delimited by the close ends now
        } else {
            responses.stop();
        }
        closed = true;
        pool.counters().connectionClosed();
        UpstreamLease o = owner;
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
