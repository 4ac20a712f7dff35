package dev.sluice.core.proxy;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawBackend;
import dev.sluice.core.testing.RawCorpus;
import dev.sluice.core.testing.RawCorpus.Entry;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays malformed backend responses ({@code src/test/resources/smuggling/responses.txt}) from a raw backend:
 * each is answered with 502 {@code upstream_bad_response} (or, when only the body turns out broken, the client
 * connection is cut), and the backend connection that sent it is closed, never used again; a well-formed one
 * leaves its connection in the pool for the next request.
 */
class BackendResponseCorpusTest {

    private static final byte[] GOOD = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRefuseMalformedResponsesAndNeverReuseTheirConnections(String transport, int loops) throws Exception {
        List<Entry> corpus = RawCorpus.load("/smuggling/responses.txt", 5);
        try (RawBackend backend = new RawBackend();
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                     List.of(ClusterConfig.simple("web", "round_robin", List.of(new BackendConfig(backend.address(), 1)))),
                     List.of(ProxyFixture.route(null, "web"))))) {
            List<Executable> checks = new ArrayList<>();
            for (Entry e : corpus) {
                checks.add(() -> replay(proxy, backend, e));
            }
            assertAll(checks);
        }
    }

    private static void replay(ProxyFixture proxy, RawBackend backend, Entry e) throws IOException {
        String expect = e.columns().get(0);
        boolean fresh = e.columns().get(1).equals("fresh");
        backend.reply(e.raw(), e.columns().get(2).equals("close"));
        RawHttpClient client = proxy.client(5_000);
        try {
            client.send("GET /" + e.name() + " HTTP/1.1\r\nHost: h\r\n\r\n");
            if (expect.equals("cut")) {
                String seen = new String(client.readUntilClosed(), StandardCharsets.ISO_8859_1);
                assertFalse(seen.endsWith("0\r\n\r\n"), e.name() + ": the client saw a complete body: " + seen);
                client.close();
                client = proxy.client(5_000);
            } else {
                Response last = null;
                for (String status : expect.split(",")) {
                    last = client.readResponse(false);
                    assertEquals(Integer.parseInt(status), last.status(), e.name() + ": status, body " + last.bodyText());
                }
                if (last.status() == 502) {
                    assertTrue(last.bodyText().contains("\"error\":\"upstream_bad_response\""), e.name() + ": " + last.bodyText());
                }
            }
            if (fresh) {
                // The connection that carried the response is closed, not pooled (waits at most 5 s, then fails).
                assertDoesNotThrow(() -> backend.lastServedConnectionClosed().get(5, TimeUnit.SECONDS),
                        e.name() + ": the backend connection was closed");
            }
            // The follow-up goes over the same client connection where it is still open, so over the same loop's pool.
            backend.reply(GOOD, false);
            int before = backend.connectionsAccepted();
            client.send("GET /after-" + e.name() + " HTTP/1.1\r\nHost: h\r\n\r\n");
            Response after = client.readResponse(false);
            assertEquals(200, after.status(), e.name() + ": follow-up status");
            if (!fresh) {
                assertEquals(before, backend.connectionsAccepted(), e.name() + ": follow-up reused the pooled connection");
            }
        } finally {
            client.close();
        }
    }
}
