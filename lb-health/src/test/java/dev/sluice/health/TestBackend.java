package dev.sluice.health;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP backend on loopback port 0 for probe tests: answers every request with {@link #answer(int)}'s
 * status, or never answers once {@link #silent()} was called; counts what it sees. Thread-safe.
 */
final class TestBackend implements AutoCloseable {

    private static final int SILENT = -1;

    private final MultiThreadIoEventLoopGroup group;
    private final Channel server;
    private volatile int status = 200;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();
    volatile HttpRequest lastRequest;

    private TestBackend(TestTransport transport) {
        group = transport.newGroup(1);
        server = new ServerBootstrap()
                .group(group)
                .channel(transport.server())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.incrementAndGet();
                        ch.closeFuture().addListener(f -> closed.incrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    static TestBackend start(TestTransport transport) {
        return new TestBackend(transport);
    }

    /** Answers every later request with {@code code}. */
    TestBackend answer(int code) {
        status = code;
        return this;
    }

    /** Accepts connections and reads requests but never answers. */
    TestBackend silent() {
        status = SILENT;
        return this;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    HostPort address() {
        return new HostPort("127.0.0.1", port());
    }

    Backend backend(boolean healthy) {
        return new Backend(address(), new InetSocketAddress("127.0.0.1", port()), 1, BackendState.ACTIVE, healthy);
    }

    /** How many requests were answered with {@code code}. */
    int answered(int code) {
        AtomicInteger n = answered.get(code);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Confined to the connection's loop. */
    private final class Responder extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest)) {
                return;
            }
            lastRequest = (HttpRequest) msg;
            requests.incrementAndGet();
            int code = status;
            if (code == SILENT) {
                return;
            }
            ByteBuf body = Unpooled.copiedBuffer("status " + code + "\n", StandardCharsets.US_ASCII);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(code), body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            answered.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
