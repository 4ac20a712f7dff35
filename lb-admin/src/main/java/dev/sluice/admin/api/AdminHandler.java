package dev.sluice.admin.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The admin pipeline's last stage: checks the bearer token, copies the request out of its buffer and hands it
 * to the admin worker; writes the worker's {@link Reply} back (Netty posts that write to the admin loop).
 *
 * <p>Threading: {@link #channelRead0} runs on the admin event loop and never blocks; one instance per connection.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminToken token;
    private final AdminRouter router;
    private final Executor worker;

    AdminHandler(AdminToken token, AdminRouter router, Executor worker) {
        this.token = token;
        this.router = router;
        this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, Reply.error(400, "bad_request", "the request is not valid HTTP/1.1"), false);
            return;
        }
        if (token != null && !token.matches(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            write(ctx, Reply.error(401, "unauthorized", "this admin API needs the header Authorization: Bearer <token>"), keepAlive);
            return;
        }
        String method = request.method().name();
        String uri = request.uri();
        String body = request.content().isReadable() ? request.content().toString(StandardCharsets.UTF_8) : null;
        String remote = String.valueOf(ctx.channel().remoteAddress());
        try {
            worker.execute(() -> router.handle(method, uri, body, remote)
                    .whenComplete((reply, error) -> write(ctx, reply != null ? reply : internalError(error), keepAlive)));
        } catch (RejectedExecutionException e) {
            write(ctx, Reply.error(503, "shutting_down", "the admin API is shutting down"), false);
        }
    }

    private static Reply internalError(Throwable error) {
        LOG.error("admin request failed", error);
        return Reply.error(500, "internal", "the admin API failed: " + error);
    }

    /** Any thread: Netty runs the write on the channel's loop. */
    private static void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        ByteBuf content = reply.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(reply.body(), StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), content);
        if (reply.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        }
        if (reply.allow() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, reply.allow());
        }
        if (reply.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (reply.status() != 204) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
