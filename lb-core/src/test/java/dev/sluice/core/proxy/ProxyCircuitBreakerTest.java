package dev.sluice.core.proxy;

import dev.sluice.core.testing.Await;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ClusterLimits;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.Timeouts;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.core.testing.TestClusters;
import dev.sluice.core.testing.Transports;
import dev.sluice.core.config.BackendConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Circuit breaking with one event loop, where a loop's share of each limit is the whole limit: the
 * arithmetic of the shares is {@link ClusterGateTest}'s.
 */
class ProxyCircuitBreakerTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    static Stream<Arguments> oneLoop() {
        return Transports.matrix().filter(a -> (int) a.get()[1] == 1);
    }

    private ProxyFixture proxyTo(String transport, ClusterConfig cluster) {
        return use(ProxyFixture.start(ProxyFixture.config(transport, 1, ListenerLimits.defaults(),
                List.of(cluster), List.of(ProxyFixture.route("/", cluster.name())))));
    }


    private static long counter(ProxyFixture proxy, Counter c) {
        return proxy.server().cluster("web").stats().snapshot().get(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneLoop")
    void shouldAnswerOverloadedBeyondMaxConnectionsPerBackend(String transport) throws Exception {
        List<ChannelHandlerContext> held = new CopyOnWriteArrayList<>();
        TestBackend slow = use(TestBackend.withResponder("slow", (req, ctx) -> held.add(ctx)));
        ClusterConfig cluster = TestClusters.withLimits(ProxyFixture.cluster("web", "round_robin", slow),
                new ClusterLimits(2, 100));
        ProxyFixture proxy = proxyTo(transport, cluster);
        RawHttpClient first = use(proxy.client());
        RawHttpClient second = use(proxy.client());
        first.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n");
        second.send("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        Await.until("both requests hold a connection", () -> held.size() == 2);

        RawHttpClient third = use(proxy.client());
        Response refused = third.get("/3");
        assertEquals(503, refused.status());
        assertTrue(refused.bodyText().contains("\"error\":\"overloaded\""), refused.bodyText());
        assertEquals(1, counter(proxy, Counter.OVERLOADED));
        assertEquals(2, slow.connectionsAccepted(), "no third connection was opened");

        for (ChannelHandlerContext ctx : held) {
            ctx.executor().execute(() -> ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "late")));
        }
        assertEquals(200, first.readResponse(false).status());
        assertEquals(200, second.readResponse(false).status());
        slow.setResponder((req, ctx) -> ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "fast")));
        Await.until("both connections are back in the pool", () -> counter(proxy, Counter.RESPONSES_2XX) == 2);
        assertEquals(200, third.get("/4").status(), "a pooled connection serves within the limit");
        assertEquals(2, slow.connectionsAccepted());
    }

    /**
     * A listening socket whose accept queue is full drops new SYNs, so connects to it stay pending until their
     * timeout: the proxy's request waits for a connection.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oneLoop")
    void shouldAnswerOverloadedBeyondMaxPending(String transport) throws Exception {
        ServerSocket full = use(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
        fillAcceptQueue(full);
        HostPort address = new HostPort("127.0.0.1", full.getLocalPort());
        ClusterConfig cluster = TestClusters.withLimits(
                ClusterConfig.simple("web", "round_robin", List.of(new BackendConfig(address, 1)))
                        .withTimeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60))),
                new ClusterLimits(100, 1));
        ProxyFixture proxy = proxyTo(transport, cluster);
        RawHttpClient waiting = use(proxy.client());
        waiting.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n");
        Await.until("the first request waits for its connection", () -> counter(proxy, Counter.UPSTREAM_CONNECTS) == 1);

        RawHttpClient second = use(proxy.client());
        Response refused = second.get("/2");
        assertEquals(503, refused.status());
        assertTrue(refused.bodyText().contains("\"error\":\"overloaded\""), refused.bodyText());
        assertEquals(1, counter(proxy, Counter.OVERLOADED));
        assertEquals(1, counter(proxy, Counter.UPSTREAM_CONNECTS), "no second connect was started");
    }

    /** Connects plain sockets until one cannot complete: the queue is then full and SYNs are dropped. */
    private void fillAcceptQueue(ServerSocket server) throws Exception {
        for (int i = 0; i < 64; i++) {
            Socket s = use(new Socket());
            try {
                s.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 300);
            } catch (SocketTimeoutException e) {
                return;
            }
        }
        throw new AssertionError("the accept queue never filled up");
    }
}
