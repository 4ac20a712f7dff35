package dev.sluice.core.proxy;

import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.testing.GeneratedBody;
import dev.sluice.core.testing.MemoryProbe;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow-client defences with short limits on loopback: an absolute deadline for the request head (slowloris),
 * an inactivity deadline for request bodies (slow POST) and for clients that stop reading (slow read), the
 * keep-alive idle timeout, and flat memory with hundreds of stalled connections, while normal requests are
 * answered throughout. Slow clients are driven by a scheduler; the test thread only waits for outcomes.
 */
class ProxySlowClientTest {

    private static final Duration SHORT = Duration.ofMillis(400);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ScheduledExecutorService trickler = Executors.newScheduledThreadPool(1);

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        trickler.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private ProxyFixture proxy(String transport, int loops, TestBackend backend) {
        ListenerLimits d = ListenerLimits.defaults();
        ListenerLimits limits = new ListenerLimits(d.maxRequestLine(), d.maxHeaderBytes(), d.maxHeaders(),
                d.maxConnections(), d.maxConnectionsPerIp(), SHORT, SHORT, SHORT);
        return use(ProxyFixture.start(ProxyFixture.config(transport, loops, limits,
                List.of(ProxyFixture.cluster("web", "round_robin", backend)), List.of(ProxyFixture.route(null, "web")))));
    }

    /** Sends {@code bytes} one byte every {@code periodMillis} until done or the socket fails. */
    private void trickle(RawHttpClient client, byte[] bytes, long periodMillis) {
        int[] next = {0};
        trickler.scheduleAtFixedRate(() -> {
            if (next[0] < bytes.length) {
                try {
                    client.send(new byte[] {bytes[next[0]++]});
                } catch (Exception closedByProxy) {
                    next[0] = bytes.length;
                }
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer408WhenAHeadTricklesPastItsDeadlineWhileServingOthers(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, backend);
        RawHttpClient slow = use(proxy.client(10_000));
        byte[] head = ("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        long start = System.nanoTime();
        trickle(slow, head, 20); // 4+ s to send in full, each byte well inside any inactivity limit
        try (RawHttpClient normal = proxy.client(5_000)) {
            assertEquals(200, normal.get("/").status(), "a normal request is served while the slow head trickles");
        }
        Response r = slow.readResponse(false);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(408, r.status());
        assertEquals("close", r.header("connection"));
        assertTrue(slow.isClosedByPeer());
        assertTrue(elapsedMillis >= SHORT.toMillis() && elapsedMillis < 3_000, "408 after " + elapsedMillis + " ms");
        assertEquals(1, backend.received().size(), "nothing of the slow request reached the backend");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer408WhenARequestBodyStalls(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, backend);
        try (RawHttpClient client = proxy.client(10_000)) {
            client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab");
            Response r = client.readResponse(false);
            assertEquals(408, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(client.isClosedByPeer());
        }
        assertEquals(0, backend.received().size(), "no complete request reached the backend");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldKeepASlowButMovingBodyAlive(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.withResponder("b",
                (req, ctx) -> ctx.writeAndFlush(TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, req.bodyText()))));
        ProxyFixture proxy = proxy(transport, loops, backend);
        try (RawHttpClient client = proxy.client(10_000)) {
            client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n");
            // 12 bytes at one per 100 ms: 1.2 s in all, three times the inactivity limit, never idle for long.
            trickle(client, "hello world!".getBytes(StandardCharsets.ISO_8859_1), 100);
            Response r = client.readResponse(false);
            assertEquals(200, r.status());
            assertEquals("hello world!", r.bodyText());
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldCloseAKeepAliveConnectionLeftIdle(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, backend);
        try (RawHttpClient client = proxy.client(10_000)) {
            assertEquals(200, client.get("/").status());
            long start = System.nanoTime();
            assertTrue(client.isClosedByPeer(), "idle keep-alive connection closed");
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis < 5_000, "closed after " + elapsedMillis + " ms");
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldCutOffAClientThatStopsReadingAndReleaseTheBackend(String transport, int loops) throws Exception {
        long size = 1L << 30;
        CompletableFuture<Void> backendClosed = new CompletableFuture<>();
        TestBackend backend = use(TestBackend.withResponder("b", (req, ctx) -> {
            if (req.uri().equals("/big")) {
                ctx.channel().closeFuture().addListener(f -> backendClosed.complete(null));
                new GeneratedBody(size).writeTo(ctx);
            } else {
                ctx.writeAndFlush(TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "small"));
            }
        }));
        ProxyFixture proxy = proxy(transport, loops, backend);
        MemoryProbe memory = use(new MemoryProbe());
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(proxy.address(), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            backendClosed.get(10, TimeUnit.SECONDS); // the proxy gave up on the reader and dropped the upstream
            try (RawHttpClient normal = proxy.client(5_000)) {
                assertEquals(200, normal.get("/small").status(), "the proxy still serves others");
            }
            long received = drain(s.getInputStream());
            assertTrue(received < size, "the stalled reader was cut off, received " + received);
        }
        assertTrue(memory.peakBytes() < 48L << 20, "peak pooled memory " + memory.peakBytes());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldStayFlatAndResponsiveWithHundredsOfStalledHeads(String transport, int loops) throws Exception {
        TestBackend backend = use(TestBackend.named("b"));
        ProxyFixture proxy = proxy(transport, loops, backend);
        MemoryProbe memory = use(new MemoryProbe());
        List<RawHttpClient> stalled = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            RawHttpClient c = use(proxy.client(10_000));
            c.send("GET /stalled HTTP/1.1\r\nHost: h\r\nX-Part: ");
            stalled.add(c);
        }
        try (RawHttpClient normal = proxy.client(5_000)) {
            assertEquals(200, normal.get("/").status(), "a normal request is served among 300 stalled heads");
        }
        for (RawHttpClient c : stalled) {
            assertEquals(408, c.readResponse(false).status());
        }
        assertTrue(memory.peakBytes() < 48L << 20, "peak pooled memory " + memory.peakBytes());
        assertEquals(1, backend.received().size());
    }

    private static long drain(InputStream in) {
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
        } catch (java.io.IOException reset) {
            // a reset ends the stream as well; what arrived before it is counted
        }
        return total;
    }
}
