package dev.sluice.core.proxy;

import dev.sluice.core.config.AdminConfig;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.ListenerConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.RouteConfig;
import dev.sluice.core.config.RouteMatch;
import dev.sluice.core.config.RuntimeConfig;
import dev.sluice.core.config.SluiceConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client connection through the proxy's handlers with both of its connections embedded: the client's and one
 * pooled upstream connection. A read from either side is one {@code fireChannelRead} plus
 * {@code fireChannelReadComplete}, so the writes and flushes each side gets can be counted exactly. The
 * {@link ProxyServer} only owns the cluster and carries no traffic. Close it after each test.
 */
final class EmbeddedExchangeHarness implements AutoCloseable {

    private final ProxyServer server;
    final EmbeddedChannel client;
    final EmbeddedChannel backend;
    /** Flushes that reached the upstream connection's transport. */
    private final FlushCounter backendFlushes = new FlushCounter();

    EmbeddedExchangeHarness() {
        server = ProxyServer.start(config());
        client = new ClientChannel();
        Worker worker = new Worker(client.eventLoop(), server.transport(), server);
        LoopCluster cluster = worker.cluster(server.cluster("c"));
        cluster.refresh();
        UpstreamPool pool = cluster.pool(0);
        UpstreamHandler upstream = new UpstreamHandler(pool, 64 * 1024);
        backend = new EmbeddedChannel(backendFlushes, upstream);
        pool.release(upstream, System.nanoTime());
        client.pipeline().addLast(new FrontendInitializer(worker, server.listeners().get(0)));
        client.pipeline().fireChannelActive();
    }

    /** One socket read of {@code bytes} from the client. */
    void clientSends(String bytes) {
        read(client, bytes);
    }

    /** One socket read of {@code bytes} from the backend. */
    void backendSends(String bytes) {
        read(backend, bytes);
    }

    int backendFlushes() {
        return backendFlushes.count;
    }

    /** The messages written to the backend since the last call, each as text. */
    List<String> writtenToBackend() {
        return drain(backend);
    }

    /** The messages written to the client since the last call, each as text. */
    List<String> writtenToClient() {
        return drain(client);
    }

    @Override
    public void close() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
        server.close();
    }

    private static void read(EmbeddedChannel channel, String bytes) {
        channel.pipeline().fireChannelRead(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        channel.pipeline().fireChannelReadComplete();
        channel.runPendingTasks();
        channel.checkException();
    }

    private static List<String> drain(EmbeddedChannel channel) {
        List<String> written = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            written.add(msg instanceof ByteBuf buf ? buf.toString(StandardCharsets.US_ASCII) : String.valueOf(msg));
            ReferenceCountUtil.release(msg);
        }
        return written;
    }

    private static SluiceConfig config() {
        RuntimeConfig runtime = new RuntimeConfig(1, "nio", Duration.ofSeconds(1), Path.of("target/state"));
        RouteConfig route = new RouteConfig(new RouteMatch(null, "/", null, Map.of()), "c");
        ListenerConfig listener = new ListenerConfig("test", new HostPort("127.0.0.1", 0), ListenerLimits.defaults(),
                List.of(route));
        // Never connected: the upstream connection is an embedded channel already in the pool.
        ClusterConfig cluster = ClusterConfig.simple("c", "round_robin",
                List.of(new BackendConfig(new HostPort("127.0.0.1", 9), 1)));
        return new SluiceConfig(null, runtime, AdminConfig.defaults(), List.of(listener), List.of(cluster), Map.of());
    }

    /** Counts the flushes that pass it. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    /** An embedded client connection with a socket address, as the frontend reads the client's IP from it. */
    private static final class ClientChannel extends EmbeddedChannel {
        private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 40000);

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? REMOTE : null;
        }
    }
}
