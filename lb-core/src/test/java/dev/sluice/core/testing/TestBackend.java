package dev.sluice.core.testing;

import dev.sluice.core.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 backend for tests, on loopback port 0, that records every request it receives (head fields and
 * body, the body capped at 1 MiB but always counted) and answers through a {@link Responder}. It streams
 * request bodies (no aggregation), so a gigabyte upload costs it no memory.
 */
public final class TestBackend implements AutoCloseable {

    /** Answers one fully received request. Runs on the backend's event loop. */
    @FunctionalInterface
    public interface Responder {
        void respond(RecordedRequest request, ChannelHandlerContext ctx);
    }

    /** What the backend received for one request. */
    public record RecordedRequest(String method, String uri, String protocol, List<Map.Entry<String, String>> headers, long bodyLength, byte[] body,
                                  List<Map.Entry<String, String>> trailers) {
        public String header(String name) {
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** The first trailer field named {@code name}, or null. */
        public String trailer(String name) {
            for (Map.Entry<String, String> e : trailers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        public long headerCount(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).count();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int BODY_CAP = 1 << 20;

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytesReceived = new java.util.concurrent.atomic.AtomicLong();
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ServerBootstrap bootstrap;
    private volatile Responder responder;
    private volatile Channel server;
    private final int port;

    private TestBackend(String name, Responder responder) {
        this.name = name;
        this.responder = responder;
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        accepted.add(ch);
                        ch.closeFuture().addListener(f -> closedConnections.incrementAndGet());
                        ch.pipeline().addLast(new ByteCounter(), new HttpServerCodec(), new ChunkedWriteHandler(), new Recorder());
                    }
                });
        this.server = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Kills the backend: stops listening (connects are refused) and closes every accepted connection, so
     * requests in flight see a reset or an early close. {@link #restart()} brings it back on the same port.
     */
    public void kill() {
        server.close().syncUninterruptibly();
        accepted.close().awaitUninterruptibly();
    }

    /** Listens again on the same port after {@link #kill()}. */
    public void restart() {
        server = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    }

    /** A backend answering every request with 200 and its own name as the body. */
    public static TestBackend named(String name) {
        return new TestBackend(name, (req, ctx) -> ctx.writeAndFlush(text(HttpResponseStatus.OK, name)));
    }

    public static TestBackend withResponder(String name, Responder responder) {
        return new TestBackend(name, responder);
    }

    public void setResponder(Responder responder) {
        this.responder = responder;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", port());
    }

    public List<RecordedRequest> received() {
        return received;
    }

    /** TCP connections accepted so far. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** TCP connections closed so far, by either side. */
    public int connectionsClosed() {
        return closedConnections.get();
    }

    /** Bytes received over all connections, whether or not they formed a complete request. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** A complete text response with Content-Length. */
    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        return r;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class ByteCounter extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                bytesReceived.addAndGet(b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Recorder extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest head;
        private long length;
        private ByteArrayOutputStream body;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest req) {
                head = req;
                length = 0;
                body = new ByteArrayOutputStream();
                if (HttpUtil.is100ContinueExpected(req)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                }
            }
            if (msg instanceof HttpContent content) {
                ByteBuf b = content.content();
                length += b.readableBytes();
                if (body.size() < BODY_CAP) {
                    int n = Math.min(b.readableBytes(), BODY_CAP - body.size());
                    byte[] bytes = new byte[n];
                    b.getBytes(b.readerIndex(), bytes);
                    body.writeBytes(bytes);
                }
                if (content instanceof LastHttpContent) {
                    RecordedRequest r = new RecordedRequest(head.method().name(), head.uri(), head.protocolVersion().text(),
                            List.copyOf(head.headers().entries()), length, body.toByteArray(),
                            List.copyOf(((LastHttpContent) content).trailingHeaders().entries()));
                    received.add(r);
                    responder.respond(r, ctx);
                }
            }
        }
    }
}
