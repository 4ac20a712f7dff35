package dev.sluice.core.proxy;

import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful drain: in-flight exchanges finish, idle connections close, nothing new is accepted. */
class ProxyDrainTest {

    @RegisterExtension
    final Closer closer = new Closer();

    /**
     * A backend that answers {@code /warm} at once and holds every other request: it counts it in {@code arrived},
     * answers "done" once {@code release} opens (so the request is in flight across whatever the test does
     * meanwhile), and completes {@code answered} when that answer is flushed.
     */
    private TestBackend heldBackend(CountDownLatch arrived, CountDownLatch release, CompletableFuture<Void> answered) {
        return closer.use(TestBackend.withResponder("slow", (req, ctx) -> {
            if (req.uri().equals("/warm")) {
                ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "warm"));
                return;
            }
            arrived.countDown();
            CompletableFuture.runAsync(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "done"))
                        .addListener(f -> answered.complete(null));
            });
        }));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldFinishInFlightRequestsWhileRefusingNewConnections(String transport, int loops) throws Exception {
        CountDownLatch arrived = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        TestBackend slow = heldBackend(arrived, release, new CompletableFuture<>());
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, slow));
        InetSocketAddress address = proxy.address();
        List<RawHttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawHttpClient c = closer.use(proxy.client(10_000));
            c.send("GET /work HTTP/1.1\r\nHost: h\r\n\r\n");
            clients.add(c);
        }
        RawHttpClient idle = closer.use(proxy.client(10_000));
        assertEquals(200, idle.get("/warm").status(), "a keep-alive connection that is idle when the drain starts");
        assertTrue(arrived.await(10, TimeUnit.SECONDS), "all three requests reached the backend");

        CompletableFuture<Void> drained = proxy.server().drain(Duration.ofSeconds(10));
        assertTrue(idle.isClosedByPeer(), "idle connections close at once");
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close(),
                "no new connections once draining");
        release.countDown();
        for (RawHttpClient c : clients) {
            RawHttpClient.Response r = c.readResponse(false);
            assertEquals(200, r.status());
            assertEquals("done", r.bodyText());
            assertEquals("close", r.header("connection"));
        }
        drained.get(10, TimeUnit.SECONDS);
        assertTrue(proxy.server().isDraining());
    }

    /**
     * A response its loop relays after the drain started, but before that loop has run its drain task, still
     * closes its connection: the loops are held busy across the start of the drain and the backend's answer, so
     * that the answer and the drain's tasks wait on the loop together.
     */
    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldCloseAConnectionWhoseResponseIsRelayedBeforeItsLoopRunsTheDrain(String transport, int loops)
            throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> answered = new CompletableFuture<>();
        TestBackend slow = heldBackend(arrived, release, answered);
        ProxyFixture proxy = closer.use(ProxyFixture.start(transport, loops, slow));
        RawHttpClient client = closer.use(proxy.client(10_000));
        client.send("GET /work HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(arrived.await(10, TimeUnit.SECONDS), "the request reached the backend");

        CountDownLatch busy = new CountDownLatch(proxy.server().loops().size());
        CountDownLatch free = new CountDownLatch(1);
        for (io.netty.channel.EventLoop loop : proxy.server().loops()) {
            loop.execute(() -> {
                busy.countDown();
                try {
                    free.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(busy.await(10, TimeUnit.SECONDS), "every loop is held");
        CompletableFuture<CompletableFuture<Void>> drain =
                CompletableFuture.supplyAsync(() -> proxy.server().drain(Duration.ofSeconds(10)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!proxy.server().isDraining() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(proxy.server().isDraining(), "the drain started");
        release.countDown();
        answered.get(10, TimeUnit.SECONDS); // the answer waits in the proxy's socket
        free.countDown();

        RawHttpClient.Response r = client.readResponse(false);
        assertEquals(200, r.status());
        assertEquals("done", r.bodyText());
        assertEquals("close", r.header("connection"));
        drain.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }
}
