package dev.sluice.core.proxy;

import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyForwardingTest {

    @RegisterExtension
    final Closer closer = new Closer();

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAlternateBackendsOverOneKeepAliveConnection(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        TestBackend b = closer.use(TestBackend.named("b"));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a, b));
        RawHttpClient client = closer.use(proxy.client());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            Response r = client.get("/hello");
            assertEquals(200, r.status());
            seen.merge(r.bodyText(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 5, "b", 5), seen);
        assertEquals(1, a.connectionsAccepted(), "upstream connection reused");
        assertEquals(1, b.connectionsAccepted(), "upstream connection reused");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAddForwardingFieldsAndRemoveHopByHopFields(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("GET /x HTTP/1.1\r\nHost: example.org\r\nConnection: keep-alive, x-secret\r\nx-secret: 1\r\n"
                + "Keep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Forwarded-For: 10.0.0.1\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: bank.example\r\n\r\n");
        Response r = client.readResponse(false);
        assertEquals(200, r.status());
        TestBackend.RecordedRequest seen = a.received().get(0);
        assertEquals("10.0.0.1, 127.0.0.1", seen.header("x-forwarded-for"));
        assertEquals("http", seen.header("x-forwarded-proto"));
        assertEquals(1, seen.headerCount("x-forwarded-proto"), "the client's claim is dropped");
        assertEquals("example.org", seen.header("x-forwarded-host"));
        assertEquals(1, seen.headerCount("x-forwarded-host"), "the client's claim is dropped");
        assertEquals(1, seen.headerCount("x-forwarded-for"));
        assertEquals(1, seen.headerCount("x-request-id"));
        assertEquals("example.org", seen.header("host"));
        assertNotNull(seen.header("x-request-id"));
        assertEquals(32, seen.header("x-request-id").length());
        assertNull(seen.header("x-secret"));
        assertNull(seen.header("keep-alive"));
        assertNull(seen.header("te"));
        assertNull(seen.header("upgrade"));
        assertNull(seen.header("connection"));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldKeepTheClientsRequestId(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: abc-123\r\n\r\n");
        assertEquals(200, client.readResponse(false).status());
        assertEquals("abc-123", a.received().get(0).header("x-request-id"));
        assertEquals(1, a.received().get(0).headerCount("x-request-id"));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldForwardEachRequestOfAConnectionWithOnlyItsOwnFields(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("GET /1 HTTP/1.1\r\nHost: one.example\r\nX-A: 1\r\nAccept: text/html\r\n\r\n");
        assertEquals(200, client.readResponse(false).status());
        client.send("GET /2 HTTP/1.1\r\nHost: two.example\r\n\r\n");
        assertEquals(200, client.readResponse(false).status());
        // pipelined: the third head is decoded while the second's exchange may still run
        client.send("GET /3 HTTP/1.1\r\nHost: one.example\r\nX-B: 2\r\n\r\n"
                + "GET /4 HTTP/1.1\r\nHost: four.example\r\nX-A: 4\r\n\r\n");
        assertEquals(200, client.readResponse(false).status());
        assertEquals(200, client.readResponse(false).status());
        List<TestBackend.RecordedRequest> seen = a.received();
        assertEquals(List.of("/1", "/2", "/3", "/4"), seen.stream().map(TestBackend.RecordedRequest::uri).toList());
        assertEquals(List.of("one.example", "two.example", "one.example", "four.example"),
                seen.stream().map(r -> r.header("host")).toList());
        assertEquals("1", seen.get(0).header("x-a"));
        assertEquals("text/html", seen.get(0).header("accept"));
        assertNull(seen.get(1).header("x-a"), "nothing of the connection's earlier request");
        assertNull(seen.get(1).header("accept"));
        assertEquals("2", seen.get(2).header("x-b"));
        assertNull(seen.get(2).header("x-a"));
        assertEquals("4", seen.get(3).header("x-a"));
        assertNull(seen.get(3).header("x-b"));
        assertEquals(4, seen.stream().map(r -> r.header("x-request-id")).distinct().count());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswerPipelinedRequestsInOrder(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.withResponder("a", (req, ctx) ->
                ctx.writeAndFlush(TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, req.uri()))));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            burst.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        client.send(burst.toString());
        for (int i = 0; i < 20; i++) {
            Response r = client.readResponse(false);
            assertEquals(200, r.status());
            assertEquals("/r" + i, r.bodyText());
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldStreamContentLengthAndChunkedBodiesToTheBackend(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.withResponder("a", (req, ctx) ->
                ctx.writeAndFlush(TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, req.bodyText()))));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("POST /cl HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
        assertEquals("hello world", client.readResponse(false).bodyText());
        client.send("POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertEquals("hello world", client.readResponse(false).bodyText());
        TestBackend.RecordedRequest chunked = a.received().get(1);
        assertEquals("chunked", chunked.header("transfer-encoding"));
        assertNull(chunked.header("content-length"));
        assertEquals(11, chunked.bodyLength());
        for (TestBackend.RecordedRequest withBody : a.received()) {
            assertEquals("127.0.0.1", withBody.header("x-forwarded-for"), withBody.uri());
            assertEquals(1, withBody.headerCount("x-forwarded-proto"), withBody.uri());
            assertEquals("h", withBody.header("x-forwarded-host"), withBody.uri());
            assertEquals(32, withBody.header("x-request-id").length(), withBody.uri());
        }
        assertNotEquals(a.received().get(0).header("x-request-id"), chunked.header("x-request-id"));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRelayOneHundredContinueBeforeTheBody(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.withResponder("a", (req, ctx) ->
                ctx.writeAndFlush(TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, req.bodyText()))));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        Response interim = client.readResponse(false);
        assertEquals(100, interim.status());
        client.send("data");
        Response last = client.readResponse(false);
        assertEquals(200, last.status());
        assertEquals("data", last.bodyText());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldServeHttp10ClientsAndCloseWhenTheyDoNotAskForKeepAlive(String transport, int loops) throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, a));
        RawHttpClient client = closer.use(proxy.client());
        client.send("GET / HTTP/1.0\r\n\r\n");
        Response r = client.readResponse(false);
        assertEquals(200, r.status());
        assertEquals("a", r.bodyText());
        assertTrue(client.isClosedByPeer());
        assertEquals("HTTP/1.1", a.received().get(0).protocol(), "backends always get HTTP/1.1");
        assertEquals(a.address().toString(), a.received().get(0).header("host"),
                "an HTTP/1.0 request without Host leaves as HTTP/1.1 with the backend's address as Host");
        assertNull(a.received().get(0).header("x-forwarded-host"), "the client named no host");
        assertEquals("127.0.0.1", a.received().get(0).header("x-forwarded-for"));
    }
}
