package dev.sluice.admin.api;

import dev.sluice.core.config.AdminConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP server (CONTRACT.md section 4).
 *
 * <p>Threading: one event loop of its own ("sluice-admin") does the socket I/O and HTTP codec work, never a
 * data-plane loop, so a slow admin client cannot delay traffic. Everything that may block (file writes,
 * reloads, cluster changes, metrics merging) runs on one "sluice-admin-worker" thread, which also schedules
 * the polls of a draining DELETE; requests are therefore served one at a time, in arrival order.
 *
 * <p>Lifecycle: {@link #start} binds or throws; {@link #close} stops accepting, ends both threads and waits
 * for them briefly.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** Request bodies above this size are refused with 413 by the aggregator. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final EventLoopGroup loop;
    private final ScheduledThreadPoolExecutor worker;
    private final Channel channel;

    private AdminServer(EventLoopGroup loop, ScheduledThreadPoolExecutor worker, Channel channel) {
        this.loop = loop;
        this.worker = worker;
        this.channel = channel;
    }

    /**
     * Binds the admin API to {@code admin.bind()} (port 0 picks a free port).
     *
     * @throws IllegalArgumentException when the token file is unsafe or unreadable, or a non-loopback bind has
     *                                  no token file
     * @throws IllegalStateException    when the address cannot be bound
     */
    public static AdminServer start(AdminConfig admin, AdminControl control) {
        AdminToken token = admin.tokenFile() == null ? null : AdminToken.read(admin.tokenFile());
        if (token == null && !admin.bind().isLoopback()) {
            throw new IllegalArgumentException("admin.bind " + admin.bind() + " is not loopback: admin.token_file is required");
        }
        ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("sluice-admin-worker", true));
        worker.setRemoveOnCancelPolicy(true);
        AdminRouter router = new AdminRouter(control, worker, token == null ? "local" : "token");
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-admin", true), NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                                    new AdminHandler(token, router, worker));
                        }
                    })
                    .bind(admin.bind().host(), admin.bind().port()).syncUninterruptibly().channel();
            AdminServer server = new AdminServer(loop, worker, ch);
            LOG.info("admin API serving http://{}:{}/{}", server.boundAddress().getHostString(), server.boundAddress().getPort(),
                    token == null ? "" : " (bearer token required)");
            return server;
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            worker.shutdownNow();
            throw new IllegalStateException("cannot bind the admin API to " + admin.bind() + ": " + e.getMessage(), e);
        }
    }

    /** The address the admin API listens on (the real port when the config said 0). Any thread. */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The worker thread's executor (tests use it to wait for queued work). */
    ScheduledExecutorService worker() {
        return worker;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("admin worker did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
