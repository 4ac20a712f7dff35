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
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How request body parts are flushed to the upstream connection: once per socket read from the client, and at
 * once whenever the proxy stops reading. Both connections are embedded channels (one client read is one
 * {@code fireChannelRead} plus {@code fireChannelReadComplete}), so flushes can be counted exactly; the
 * {@link ProxyServer} only owns the cluster and carries no traffic.
 */
class RequestBodyFlushTest {

    private static final String HEAD = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String THREE_PARTS = "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n";

    private ProxyServer server;
    private EmbeddedChannel client;
    private EmbeddedChannel backend;
    private final FlushCounter flushes = new FlushCounter();

    @BeforeEach
    void setUp() {
        server = ProxyServer.start(config());
        client = new ClientChannel();
        Worker worker = new Worker(client.eventLoop(), server.transport(), server);
        LoopCluster cluster = worker.cluster(server.cluster("c"));
        cluster.refresh();
        UpstreamPool pool = cluster.pool(0);
        UpstreamHandler upstream = new UpstreamHandler(pool, 64 * 1024);
        backend = new EmbeddedChannel(flushes, upstream);
        pool.release(upstream, System.nanoTime());
        client.pipeline().addLast(new FrontendInitializer(worker, server.listeners().get(0)));
        client.pipeline().fireChannelActive();
    }

    @AfterEach
    void tearDown() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
        server.close();
    }

    @Test
    void shouldFlushTheBodyPartsOfOneClientReadOnce() {
        read(HEAD + THREE_PARTS);
        assertEquals(1, flushes.count, "the head and three parts leave in one flush");
        assertEquals(HEAD.length() + THREE_PARTS.length(), sentToBackend().length());
        read("0\r\n\r\n");
        assertEquals(2, flushes.count);
        assertEquals("0\r\n\r\n", sentToBackend());
    }

    @Test
    void shouldFlushEverythingWithTheLastPartOfTheBody() {
        read(HEAD + THREE_PARTS + "0\r\n\r\n");
        assertEquals(1, flushes.count);
        assertEquals(HEAD.length() + THREE_PARTS.length() + 5, sentToBackend().length());
    }

    @Test
    void shouldKeepForwardingWhenAFlushDrainsTheUpstreamAtOnce() {
        // Every part makes the upstream unwritable; its flush drains it at once and must resume reading.
        backend.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        read(HEAD + THREE_PARTS + "0\r\n\r\n");
        String sent = sentToBackend();
        assertTrue(sent.endsWith("5\r\nworld\r\n0\r\n\r\n"), sent);
        assertTrue(flushes.count > 1, "a full upstream is flushed before reading stops");
    }

    private void read(String bytes) {
        client.pipeline().fireChannelRead(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        client.pipeline().fireChannelReadComplete();
        client.runPendingTasks();
        client.checkException();
    }

    /** What the backend received since the last call, as text. */
    private String sentToBackend() {
        StringBuilder sent = new StringBuilder();
        for (Object msg; (msg = backend.readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                sent.append(buf.toString(StandardCharsets.US_ASCII));
            }
            ReferenceCountUtil.release(msg);
        }
        String text = sent.toString();
        // The forwarded head gains forwarding fields; count only what the client sent.
        int headEnd = text.indexOf("\r\n\r\n");
        if (text.startsWith("POST") && headEnd >= 0) {
            return HEAD + text.substring(headEnd + 4);
        }
        return text;
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

    /** Counts the flushes that reach the upstream connection's transport. */
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
