package dev.sluice.core.proxy;

import dev.sluice.core.testing.Await;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request body that turns malformed after its head and first chunk were already forwarded: the client gets
 * 400 and a closed connection, the backend connection is closed rather than pooled (the backend saw half a
 * request), and the next request opens a fresh backend connection.
 */
class ProxyBodyFramingErrorTest {

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldCloseBothSidesWhenAStreamedBodyTurnsMalformed(String transport, int loops) throws Exception {
        try (TestBackend backend = TestBackend.named("b");
             ProxyFixture proxy = ProxyFixture.start(transport, loops, backend);
             RawHttpClient client = proxy.client(5_000)) {
            client.send("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            Await.until("the head reached the backend", () -> backend.bytesReceived() > 0);
            client.send("5\r\nworldXX\r\n0\r\n\r\n"); // chunk data not followed by CRLF
            Response r = client.readResponse(false);
            assertEquals(400, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(client.isClosedByPeer());
            Await.until("the backend connection was closed", () -> backend.connectionsClosed() == 1);
            assertEquals(0, backend.received().size(), "no complete request reached the backend");
            try (RawHttpClient next = proxy.client(5_000)) {
                assertEquals(200, next.get("/next").status());
            }
            assertEquals(2, backend.connectionsAccepted(), "the next request opened a new backend connection");
            assertEquals("/next", backend.received().get(0).uri());
        }
    }

}
