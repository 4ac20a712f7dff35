package dev.sluice.core.proxy;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.Timeouts;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyErrorRepliesTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private ProxyFixture proxyTo(String transport, int loops, ClusterConfig cluster) {
        return closer.use(ProxyFixture.start(ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(cluster), List.of(ProxyFixture.route("/", cluster.name())))));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer502WhenTheBackendRefusesConnections(String transport, int loops) throws Exception {
        ClusterConfig cluster = ClusterConfig.simple("web", "round_robin",
                List.of(new BackendConfig(new HostPort("127.0.0.1", closedPort()), 1)));
        RawHttpClient client = closer.use(proxyTo(transport, loops, cluster).client());
        Response r = client.get("/");
        assertEquals(502, r.status());
        assertEquals("application/json", r.header("content-type"));
        assertTrue(r.bodyText().contains("\"error\":\"upstream_connect_failure\""), r.bodyText());
        assertEquals(502, client.get("/").status(), "the client connection stays usable after a 502");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer504WhenTheBackendDoesNotAnswerInTime(String transport, int loops) throws Exception {
        TestBackend silent = closer.use(TestBackend.withResponder("silent", (req, ctx) -> { }));
        ClusterConfig cluster = ProxyFixture.cluster("web", "round_robin", silent)
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(60)));
        RawHttpClient client = closer.use(proxyTo(transport, loops, cluster).client());
        Response r = client.get("/");
        assertEquals(504, r.status());
        assertTrue(r.bodyText().contains("\"error\":\"upstream_timeout\""), r.bodyText());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer404WhenNoRouteMatches(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ClusterConfig cluster = ProxyFixture.cluster("web", "round_robin", a);
        ProxyFixture proxy = closer.use(ProxyFixture.start(ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(cluster), List.of(ProxyFixture.route("/api/", "web")))));
        RawHttpClient client = closer.use(proxy.client());
        Response r = client.get("/other");
        assertEquals(404, r.status());
        assertTrue(r.bodyText().contains("\"error\":\"no_route\""), r.bodyText());
        assertEquals(200, client.get("/api/x").status(), "keep-alive survives a local 404");
        assertEquals(1, a.received().size());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer503WhenNoBackendIsReady(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ClusterConfig cluster = ClusterConfig.simple("web", "round_robin",
                List.of(new BackendConfig(a.address(), 1, dev.sluice.core.config.BackendState.DISABLED)));
        RawHttpClient client = closer.use(proxyTo(transport, loops, cluster).client());
        Response r = client.get("/");
        assertEquals(503, r.status());
        assertTrue(r.bodyText().contains("\"error\":\"no_healthy_backend\""), r.bodyText());
        assertEquals(0, a.received().size());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer413WithoutContactingTheBackendWhenTheDeclaredBodyIsTooLarge(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ClusterConfig cluster = ProxyFixture.cluster("web", "round_robin", a).withMaxRequestBody(10);
        RawHttpClient client = closer.use(proxyTo(transport, loops, cluster).client());
        client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
        Response r = client.readResponse(false);
        assertEquals(413, r.status(), "no 100 Continue before the refusal");
        assertEquals("close", r.header("connection"));
        assertTrue(client.isClosedByPeer());
        assertEquals(0, a.received().size());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer502WhenTheBackendClosesWithoutAnswering(String transport, int loops) throws Exception {
        TestBackend rude = closer.use(TestBackend.withResponder("rude", (req, ctx) -> ctx.close()));
        ClusterConfig cluster = ProxyFixture.cluster("web", "round_robin", rude);
        RawHttpClient client = closer.use(proxyTo(transport, loops, cluster).client());
        client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi");
        Response r = client.readResponse(false);
        assertEquals(502, r.status());
        assertTrue(r.bodyText().contains("\"error\":\"upstream_reset\""), r.bodyText());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRejectMalformedRequestsAndClose(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        try (RawHttpClient noHost = proxy.client()) {
            noHost.send("GET / HTTP/1.1\r\n\r\n");
            Response r = noHost.readResponse(false);
            assertEquals(400, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(noHost.isClosedByPeer());
        }
        try (RawHttpClient badVersion = proxy.client()) {
            badVersion.send("GET / HTTP/2.0\r\nHost: h\r\n\r\n");
            assertEquals(505, badVersion.readResponse(false).status());
        }
        try (RawHttpClient longLine = proxy.client()) {
            longLine.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(414, longLine.readResponse(false).status());
        }
        try (RawHttpClient bigHead = proxy.client()) {
            bigHead.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n");
            assertEquals(431, bigHead.readResponse(false).status());
        }
        try (RawHttpClient expect = proxy.client()) {
            expect.send("POST / HTTP/1.1\r\nHost: h\r\nExpect: something\r\nContent-Length: 1\r\n\r\nx");
            assertEquals(417, expect.readResponse(false).status());
        }
        assertEquals(0, a.received().size(), "nothing of a rejected request reaches a backend");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldHandleHeadNoContentAndNotModifiedWithoutBodies(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.withResponder("a", (req, ctx) -> {
            switch (req.uri()) {
                case "/204" -> ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.NO_CONTENT, ""));
                case "/304" -> ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.NOT_MODIFIED, ""));
                default -> ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "0123456789"));
            }
        }));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n");
        Response head = client.readResponse(true);
        assertEquals(200, head.status());
        assertEquals("10", head.header("content-length"));
        client.send("GET /204 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(204, client.readResponse(false).status());
        client.send("GET /304 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(304, client.readResponse(false).status());
        Response after = client.get("/x");
        assertEquals("0123456789", after.bodyText(), "framing intact after bodiless responses");
    }
}
