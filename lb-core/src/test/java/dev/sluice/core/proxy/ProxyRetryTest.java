package dev.sluice.core.proxy;

import dev.sluice.core.testing.Await;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.RetryConfig;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.core.testing.TestBackend.RecordedRequest;
import dev.sluice.core.testing.TestClusters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyRetryTest {

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

    private ProxyFixture proxyTo(String transport, int loops, ClusterConfig cluster) {
        return use(ProxyFixture.start(ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(cluster), List.of(ProxyFixture.route("/", cluster.name())))));
    }

    private static TestBackend answering(String name, HttpResponseStatus status) {
        return TestBackend.withResponder(name, (req, ctx) -> ctx.writeAndFlush(TestBackend.text(status, name)));
    }

    private static long counter(ProxyFixture proxy, Counter c) {
        return proxy.server().cluster("web").stats().snapshot().get(c);
    }


    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRetryA503OnAnotherBackendKeepingTheRequestId(String transport, int loops) throws Exception {
        TestBackend failing = use(answering("failing", HttpResponseStatus.SERVICE_UNAVAILABLE));
        TestBackend good = use(TestBackend.named("good"));
        ClusterConfig cluster = TestClusters.withRetries(ProxyFixture.cluster("web", "round_robin", failing, good),
                new RetryConfig(2, Set.of("503"), 20));
        ProxyFixture proxy = proxyTo(transport, loops, cluster);
        RawHttpClient client = use(proxy.client());
        for (int i = 0; i < 4; i++) {
            client.send("GET /r" + i + " HTTP/1.1\r\nHost: h\r\nX-Request-Id: client-id-" + i + "\r\n\r\n");
            Response r = client.readResponse(false);
            assertEquals(200, r.status(), "request " + i);
            assertEquals("good", r.bodyText());
        }
        assertTrue(failing.received().size() >= 1, "round robin sent some first attempts to the failing backend");
        for (RecordedRequest first : failing.received()) {
            String id = first.header("x-request-id");
            assertTrue(id.startsWith("client-id-"), id);
            assertEquals(1, good.received().stream().filter(r -> id.equals(r.header("x-request-id"))).count(),
                    "the retry carries the same X-Request-Id: " + id);
        }
        assertEquals(failing.received().size(), counter(proxy, Counter.RETRIES));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldGiveUpAfterTheConfiguredAttemptsAndForwardTheLast503(String transport, int loops) throws Exception {
        TestBackend failing = use(answering("failing", HttpResponseStatus.SERVICE_UNAVAILABLE));
        ClusterConfig cluster = TestClusters.withRetries(ProxyFixture.cluster("web", "round_robin", failing),
                new RetryConfig(2, Set.of("503"), 20));
        RawHttpClient client = use(proxyTo(transport, loops, cluster).client());
        Response r = client.get("/");
        assertEquals(503, r.status());
        assertEquals("failing", r.bodyText(), "the backend's own answer, not a local reply");
        assertEquals(3, failing.received().size(), "one try and two retries");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldNotRetryANonIdempotentRequestOn503(String transport, int loops) throws Exception {
        TestBackend failing = use(answering("failing", HttpResponseStatus.SERVICE_UNAVAILABLE));
        ClusterConfig cluster = TestClusters.withRetries(ProxyFixture.cluster("web", "round_robin", failing),
                new RetryConfig(2, Set.of("503"), 20));
        RawHttpClient client = use(proxyTo(transport, loops, cluster).client());
        client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
        assertEquals(503, client.readResponse(false).status());
        assertEquals(1, failing.received().size());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldNotRetryOnceARequestBodyByteWasSent(String transport, int loops) throws Exception {
        TestBackend failing = use(answering("failing", HttpResponseStatus.SERVICE_UNAVAILABLE));
        ClusterConfig cluster = TestClusters.withRetries(ProxyFixture.cluster("web", "round_robin", failing),
                new RetryConfig(2, Set.of("503"), 20));
        RawHttpClient client = use(proxyTo(transport, loops, cluster).client());
        client.send("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals(503, client.readResponse(false).status());
        assertEquals(1, failing.received().size(), "a PUT is idempotent, but its body is gone");
    }

    /**
     * Many requests meet an always-503 backend at once. The backend holds every retry, so retries in flight only
     * grow: the number that got through is exactly what the budget allowed.
     */
    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldCapRetriesInFlightByTheRetryBudget(String transport, int loops) throws Exception {
        int requests = 40;
        int budgetPercent = 20;
        HeldRetries backend = new HeldRetries(requests);
        TestBackend failing = use(TestBackend.withResponder("failing", backend::respond));
        ClusterConfig cluster = TestClusters.withRetries(ProxyFixture.cluster("web", "round_robin", failing),
                new RetryConfig(2, Set.of("503"), budgetPercent));
        ProxyFixture proxy = proxyTo(transport, loops, cluster);
        List<RawHttpClient> clients = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            RawHttpClient c = use(proxy.client());
            c.send("GET /" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
            clients.add(c);
        }
        Await.until("every 503 met a retry decision", () ->
                counter(proxy, Counter.RETRIES) + counter(proxy, Counter.RETRY_BUDGET_EXHAUSTED) == requests);
        long retries = counter(proxy, Counter.RETRIES);
        Await.until("every retry reached the backend", () -> backend.held() == retries);
        int bound = loops * RetryBudget.MIN_CONCURRENT_RETRIES + requests * budgetPercent / 100;
        assertTrue(retries <= bound, retries + " retries in flight, budget allows " + bound);
        assertTrue(retries >= Math.min(requests, RetryBudget.MIN_CONCURRENT_RETRIES), "the minimum always retries");
        assertTrue(counter(proxy, Counter.RETRY_BUDGET_EXHAUSTED) > 0);
        backend.releaseHeld();
        int ok = 0;
        for (RawHttpClient c : clients) {
            Response r = c.readResponse(false);
            if (r.status() == 200) {
                ok++;
            } else {
                assertEquals(503, r.status());
            }
        }
        assertEquals(retries, ok, "exactly the retried requests succeeded");
    }

    /**
     * A backend that answers 503 to every first attempt once all of them arrived, and holds every retry (a
     * request id seen before) until released. Its state lives on its single event loop.
     */
    private static final class HeldRetries {
        private final int firstAttempts;
        private final Set<String> seen = new HashSet<>();
        private final List<ChannelHandlerContext> waiting = new ArrayList<>();
        private final List<ChannelHandlerContext> retries = new java.util.concurrent.CopyOnWriteArrayList<>();

        HeldRetries(int firstAttempts) {
            this.firstAttempts = firstAttempts;
        }

        void respond(RecordedRequest request, ChannelHandlerContext ctx) {
            if (!seen.add(request.header("x-request-id"))) {
                retries.add(ctx);
                return;
            }
            waiting.add(ctx);
            if (waiting.size() == firstAttempts) {
                for (ChannelHandlerContext c : waiting) {
                    c.writeAndFlush(TestBackend.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"));
                }
            }
        }

        long held() {
            return retries.size();
        }

        void releaseHeld() {
            for (ChannelHandlerContext c : retries) {
                c.executor().execute(() -> c.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "ok")));
            }
        }
    }
}
