package dev.sluice.core.proxy;

import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How request body parts are flushed to the upstream connection: once per socket read from the client, and at
 * once whenever the proxy stops reading. Both connections are embedded ({@link EmbeddedExchangeHarness}), so
 * flushes can be counted exactly.
 */
class RequestBodyFlushTest {

    private static final String HEAD = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String THREE_PARTS = "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n";

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
    void shouldFlushTheBodyPartsOfOneClientReadOnce() {
        proxy.clientSends(HEAD + THREE_PARTS);
        assertEquals(1, proxy.backendFlushes(), "the head and three parts leave in one flush");
        assertEquals(HEAD.length() + THREE_PARTS.length(), sentToBackend().length());
        proxy.clientSends("0\r\n\r\n");
        assertEquals(2, proxy.backendFlushes());
        assertEquals("0\r\n\r\n", sentToBackend());
    }

    @Test
    void shouldFlushEverythingWithTheLastPartOfTheBody() {
        proxy.clientSends(HEAD + THREE_PARTS + "0\r\n\r\n");
        assertEquals(1, proxy.backendFlushes());
        assertEquals(HEAD.length() + THREE_PARTS.length() + 5, sentToBackend().length());
    }

    @Test
    void shouldKeepForwardingWhenAFlushDrainsTheUpstreamAtOnce() {
        // Every part makes the upstream unwritable; its flush drains it at once and must resume reading.
        proxy.backend.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        proxy.clientSends(HEAD + THREE_PARTS + "0\r\n\r\n");
        String sent = sentToBackend();
        assertTrue(sent.endsWith("5\r\nworld\r\n0\r\n\r\n"), sent);
        assertTrue(proxy.backendFlushes() > 1, "a full upstream is flushed before reading stops");
    }

    /** What the backend received since the last call, as text, with the head as the client sent it. */
    private String sentToBackend() {
        String text = String.join("", proxy.writtenToBackend());
        // The forwarded head gains forwarding fields; count only what the client sent.
        int headEnd = text.indexOf("\r\n\r\n");
        if (text.startsWith("POST") && headEnd >= 0) {
            return HEAD + text.substring(headEnd + 4);
        }
        return text;
    }
}
