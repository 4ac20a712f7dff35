package dev.sluice.core.proxy;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawBackend;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a relayed response is framed for the client when the client cannot take the backend's framing as it is:
 * chunked bodies for HTTP/1.0 clients, bodies the backend ends by closing, HEAD responses of chunked resources,
 * and the backend's hop-by-hop fields.
 */
class ProxyResponseFramingTest {

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-App: a\r\n\r\n"
            + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";

    private static ProxyFixture start(RawBackend backend, String transport, int loops) throws Exception {
        return ProxyFixture.start(ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(ClusterConfig.simple("web", "round_robin", List.of(new BackendConfig(backend.address(), 1)))),
                List.of(ProxyFixture.route(null, "web"))));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldGiveAnHttp10ClientTheDataOfAChunkedBodyEndedByTheClose(String transport, int loops) throws Exception {
        try (RawBackend backend = new RawBackend(); ProxyFixture proxy = start(backend, transport, loops);
             RawHttpClient client = proxy.client(5_000)) {
            backend.reply(ascii(CHUNKED), false);
            client.send("GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String seen = new String(client.readUntilClosed(), StandardCharsets.ISO_8859_1);
            assertTrue(seen.startsWith("HTTP/1.1 200 OK\r\n"), seen);
            assertTrue(seen.toLowerCase().contains("\r\nconnection: close\r\n"), seen);
            assertTrue(!seen.toLowerCase().contains("transfer-encoding"), seen);
            assertTrue(seen.endsWith("\r\n\r\nhello world"), seen);
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldChunkABodyTheBackendEndsByClosingAndKeepTheClient(String transport, int loops) throws Exception {
        try (RawBackend backend = new RawBackend(); ProxyFixture proxy = start(backend, transport, loops);
             RawHttpClient client = proxy.client(5_000)) {
            backend.reply(ascii("HTTP/1.1 200 OK\r\nX-App: a\r\n\r\nuntil the end"), true);
            Response r = client.get("/close");
            assertEquals("chunked", r.header("transfer-encoding"));
            assertEquals("until the end", r.bodyText());
            backend.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), false);
            assertEquals("ok", client.get("/next").bodyText()); // the client connection stayed open
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldPassAChunkedBodyAndItsTrailersToAnHttp11Client(String transport, int loops) throws Exception {
        try (RawBackend backend = new RawBackend(); ProxyFixture proxy = start(backend, transport, loops);
             RawHttpClient client = proxy.client(5_000)) {
            backend.reply(ascii(CHUNKED), false);
            Response r = client.get("/c");
            assertEquals("chunked", r.header("transfer-encoding"));
            assertEquals("a", r.header("x-app"));
            assertEquals("hello world", r.bodyText());
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldDescribeTheChunkedBodyInAHeadResponseWithoutSendingOne(String transport, int loops) throws Exception {
        try (RawBackend backend = new RawBackend(); ProxyFixture proxy = start(backend, transport, loops);
             RawHttpClient client = proxy.client(5_000)) {
            backend.reply(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), false);
            client.send("HEAD /c HTTP/1.1\r\nHost: h\r\n\r\n");
            Response head = client.readResponse(true);
            assertEquals("chunked", head.header("transfer-encoding"));
            backend.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), false);
            assertEquals("ok", client.get("/next").bodyText()); // nothing of a body came between the two
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRemoveTheBackendsHopByHopFieldsAndThoseItsConnectionFieldNames(String transport, int loops) throws Exception {
        try (RawBackend backend = new RawBackend(); ProxyFixture proxy = start(backend, transport, loops);
             RawHttpClient client = proxy.client(5_000)) {
            backend.reply(ascii("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Internal\r\nKeep-Alive: timeout=5\r\n"
                    + "X-Internal: secret\r\nUpgrade: h2c\r\nX-Public: p\r\nContent-Length: 2\r\n\r\nok"), false);
            Response r = client.get("/h");
            assertNull(r.header("x-internal"));
            assertNull(r.header("keep-alive"));
            assertNull(r.header("upgrade"));
            assertNull(r.header("connection"));
            assertEquals("p", r.header("x-public"));
            assertEquals("ok", r.bodyText());
        }
    }
}
