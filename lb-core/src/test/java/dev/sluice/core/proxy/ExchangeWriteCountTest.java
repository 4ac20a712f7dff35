package dev.sluice.core.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many writes one exchange costs each connection: a request without a body goes upstream as one buffer and
 * one flush, and a small response whose body came in the read that brought its head goes to the client as one
 * buffer. Every write is a pass through the pipeline and an entry in the connection's outbound buffer, so these
 * are the forwarding path's cost per request. Both connections are embedded ({@link EmbeddedExchangeHarness}).
 */
class ExchangeWriteCountTest {

    private static final String GET = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";

    private EmbeddedExchangeHarness proxy;

    @BeforeEach
    void setUp() {
        proxy = new EmbeddedExchangeHarness();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    @Test
    void shouldSendARequestWithoutABodyUpstreamAsOneBufferAndOneFlush() {
        proxy.clientSends(GET);
        List<String> sent = proxy.writtenToBackend();
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith("GET /a HTTP/1.1\r\n"), sent.get(0));
        assertTrue(sent.get(0).endsWith("\r\n\r\n"), sent.get(0));
        assertEquals(1, proxy.backendFlushes());
    }

    @Test
    void shouldSendARequestWithAnEmptyContentLengthUpstreamAsOneBuffer() {
        proxy.clientSends("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
        List<String> sent = proxy.writtenToBackend();
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).contains("\r\ncontent-length: 0\r\n") || sent.get(0).contains("\r\nContent-Length: 0\r\n"),
                sent.get(0));
    }

    @Test
    void shouldForwardTheNextRequestOnTheSameConnectionAfterABodilessOne() {
        proxy.clientSends(GET);
        proxy.writtenToBackend();
        proxy.backendSends("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        proxy.writtenToClient();
        proxy.clientSends("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
        List<String> sent = proxy.writtenToBackend();
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith("GET /b HTTP/1.1\r\n"), sent.get(0));
    }

    @Test
    void shouldSendASmallBodyThatCameWithItsHeadInTheHeadsBuffer() {
        proxy.clientSends(GET);
        proxy.backendSends("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        List<String> written = proxy.writtenToClient();
        assertEquals(1, written.size(), written.toString());
        assertTrue(written.get(0).startsWith("HTTP/1.1 200 OK\r\n"), written.get(0));
        assertTrue(written.get(0).endsWith("\r\n\r\nhello"), written.get(0));
    }

    @Test
    void shouldSendABodilessResponseAsItsHeadAlone() {
        proxy.clientSends(GET);
        proxy.backendSends("HTTP/1.1 204 No Content\r\n\r\n");
        List<String> written = proxy.writtenToClient();
        assertEquals(List.of("HTTP/1.1 204 No Content\r\n\r\n"), written);
    }

    @Test
    void shouldSendTheHeadFirstWhenItsBodyComesInALaterRead() {
        proxy.clientSends(GET);
        proxy.backendSends("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
        List<String> first = proxy.writtenToClient();
        assertEquals(2, first.size(), first.toString());
        assertTrue(first.get(0).endsWith("\r\n\r\n"), first.get(0));
        assertEquals("hel", first.get(1));
        proxy.backendSends("lo");
        assertEquals(List.of("lo"), proxy.writtenToClient());
    }

    @Test
    void shouldSendABodyLargerThanTheJoinLimitAsItsOwnBuffer() {
        String body = "x".repeat(ResponseRelay.JOINED_BODY_MAX + 1);
        proxy.clientSends(GET);
        proxy.backendSends("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        List<String> written = proxy.writtenToClient();
        assertEquals(2, written.size(), written.toString());
        assertEquals(body, written.get(1));
    }

    @Test
    void shouldSendABodyAtTheJoinLimitInTheHeadsBuffer() {
        String body = "y".repeat(ResponseRelay.JOINED_BODY_MAX);
        proxy.clientSends(GET);
        proxy.backendSends("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        List<String> written = proxy.writtenToClient();
        assertEquals(1, written.size(), written.toString());
        assertTrue(written.get(0).endsWith("\r\n\r\n" + body));
    }
}
