package dev.sluice.core.proxy;

import dev.sluice.core.testing.GeneratedBody;
import dev.sluice.core.testing.MemoryProbe;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies far larger than any buffer stream through with flat memory, in both directions, and a client that
 * stops reading stops the backend rather than filling Sluice's memory.
 */
class ProxyStreamingTest {

    private static final long GIB = 1L << 30;
    /** Pooled memory allowed in use at once across proxy, backend and client buffers. */
    private static final long MEMORY_BOUND = 48L << 20;

    @RegisterExtension
    final Closer closer = new Closer();

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldStreamAGibibyteUploadWithBoundedMemory(String transport, int loops) throws Exception {
        TestBackend sink = closer.use(TestBackend.withResponder("sink", (req, ctx) ->
                ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, Long.toString(req.bodyLength())))));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, sink));
        MemoryProbe memory = closer.use(new MemoryProbe());
        RawHttpClient client = closer.use(proxy.client(60_000));
        client.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + GIB + "\r\n\r\n");
        byte[] piece = new byte[256 * 1024];
        OutputStream out = client.output();
        for (long sent = 0; sent < GIB; sent += piece.length) {
            out.write(piece);
        }
        out.flush();
        RawHttpClient.Response r = client.readResponse(false);
        assertEquals(200, r.status());
        assertEquals(Long.toString(GIB), r.bodyText());
        assertTrue(memory.peakBytes() < MEMORY_BOUND, "peak pooled memory " + memory.peakBytes());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldStreamAGibibyteDownloadWithBoundedMemory(String transport, int loops) throws Exception {
        TestBackend source = closer.use(TestBackend.withResponder("source", (req, ctx) -> new GeneratedBody(GIB).writeTo(ctx)));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, source));
        MemoryProbe memory = closer.use(new MemoryProbe());
        try (Socket s = new Socket()) {
            s.connect(proxy.address(), 10_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            long total = readHeadAndCountBody(in);
            assertEquals(GIB, total);
        }
        assertTrue(memory.peakBytes() < MEMORY_BOUND, "peak pooled memory " + memory.peakBytes());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldStopReadingTheBackendWhileTheClientDoesNotRead(String transport, int loops) throws Exception {
        long size = 256L << 20;
        AtomicReference<GeneratedBody> body = new AtomicReference<>();
        TestBackend source = closer.use(TestBackend.withResponder("source", (req, ctx) -> {
            GeneratedBody b = new GeneratedBody(size);
            body.set(b);
            b.writeTo(ctx);
        }));
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, source));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(proxy.address(), 10_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            MemoryProbe memory = new MemoryProbe();
            long stalledAt = waitUntilProducerStalls(body);
            long peak = memory.peakBytes();
            memory.close();
            assertTrue(peak < MEMORY_BOUND, "peak pooled memory while the client did not read: " + peak);
            assertTrue(stalledAt < 64L << 20, "backend got " + stalledAt + " bytes ahead of a client that reads nothing");
            assertEquals(size, readHeadAndCountBody(s.getInputStream()));
        }
    }

    /**
     * Polls (bounded) until the backend's writer has all but stopped: under 1 MiB of progress over five
     * samples. Kernel socket buffers on loopback keep growing slowly while nobody reads, so "no byte at all"
     * is not a condition the proxy controls; what it controls is not reading on its own.
     */
    private static long waitUntilProducerStalls(AtomicReference<GeneratedBody> body) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long[] samples = new long[5];
        int taken = 0;
        while (System.nanoTime() < deadline) {
            GeneratedBody b = body.get();
            long now = b == null ? 0 : b.produced();
            samples[taken % samples.length] = now;
            taken++;
            long oldest = samples[taken % samples.length];
            if (taken > samples.length && now > 0 && now - oldest < (1L << 20)) {
                return now;
            }
            Thread.sleep(200); // sampling a condition, not asserting a duration
        }
        throw new AssertionError("backend never slowed down; produced " + body.get().produced());
    }

    private static long readHeadAndCountBody(InputStream in) throws Exception {
        int matched = 0;
        StringBuilder head = new StringBuilder();
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("closed in head: " + head);
            }
            head.append((char) c);
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        long expected = -1;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                expected = Long.parseLong(line.substring(15).trim());
            }
        }
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        while (total < expected) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, expected - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
