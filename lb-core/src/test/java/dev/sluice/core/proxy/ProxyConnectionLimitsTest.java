package dev.sluice.core.proxy;

import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener's connection and field-count limits: refused early, counted, and released on close. */
class ProxyConnectionLimitsTest {

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

    private ProxyFixture proxy(String transport, int loops, ListenerLimits limits, TestBackend backend) {
        return use(ProxyFixture.start(ProxyFixture.config(transport, loops, limits,
                List.of(ProxyFixture.cluster("web", "round_robin", backend)), List.of(ProxyFixture.route(null, "web")))));
    }

    private static ListenerLimits limits(int maxHeaders, int maxConnections, int maxPerIp) {
        ListenerLimits d = ListenerLimits.defaults();
        return new ListenerLimits(d.maxRequestLine(), d.maxHeaderBytes(), maxHeaders, maxConnections, maxPerIp,
                d.requestHeaderTimeout(), d.bodyReadTimeout(), d.idleTimeout());
    }

    private static long refused(ProxyFixture proxy) {
        return proxy.server().listeners().get(0).stats().snapshot().get(Counter.CONNECTIONS_REFUSED);
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRefuseConnectionsBeyondTheListenerLimitAndAdmitAgainAfterOneCloses(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, limits(100, 2, 100), backend);
        RawHttpClient first = use(proxy.client(5_000));
        RawHttpClient second = use(proxy.client(5_000));
        assertEquals(200, first.get("/").status());
        assertEquals(200, second.get("/").status());
        try (RawHttpClient third = proxy.client(5_000)) {
            assertTrue(third.isClosedByPeer(), "a connection over the limit is closed before any request");
        }
        assertEquals(1, refused(proxy));
        first.close();
        assertEquals(200, getOnceAdmitted(proxy).status(), "a slot freed by a close is available again");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRefuseConnectionsBeyondThePerClientLimit(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, limits(100, 100, 1), backend);
        RawHttpClient admitted = use(proxy.client(5_000));
        assertEquals(200, admitted.get("/").status());
        try (RawHttpClient second = proxy.client(5_000)) {
            assertTrue(second.isClosedByPeer(), "a second connection from the same address is closed");
        }
        assertEquals(1, refused(proxy));
        assertEquals(200, admitted.get("/again").status(), "the admitted connection is unaffected");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer431WhenTheHeadHasMoreFieldsThanTheLimit(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, limits(3, 100, 100), backend);
        try (RawHttpClient client = proxy.client(5_000)) {
            client.send("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n");
            assertEquals(200, client.readResponse(false).status(), "three fields are within the limit");
            client.send("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
            Response r = client.readResponse(false);
            assertEquals(431, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(client.isClosedByPeer());
        }
        assertEquals(1, backend.received().size());
    }

    /** Retries (bounded) until the listener has noticed an earlier close and admits a new connection. */
    private static Response getOnceAdmitted(ProxyFixture proxy) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try (RawHttpClient c = proxy.client(5_000)) {
                return c.get("/");
            } catch (IOException refusedMeanwhile) {
                if (System.nanoTime() > deadline) {
                    throw refusedMeanwhile;
                }
            }
        }
    }
}
