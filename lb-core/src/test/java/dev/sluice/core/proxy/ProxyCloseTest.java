package dev.sluice.core.proxy;

import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.config.YamlNodeReader;
import dev.sluice.core.testing.Await;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing the server: filter modules (which a loop may read until it stops, such as the API policy's mapped
 * store) stay published and open until every event loop has stopped, and are still closed when a loop stops late.
 */
class ProxyCloseTest {

    @RegisterExtension
    final Closer closer = new Closer();

    /** One loop on NIO (the behaviour is the server's, not the transport's), with the test filter module. */
    private ProxyServer start(TestBackend web) throws Exception {
        SluiceConfig base = ProxyFixture.config("nio", 1, ListenerLimits.defaults(),
                List.of(ProxyFixture.cluster("web", "round_robin", web)), List.of(ProxyFixture.route("/", "web")));
        return ProxyServer.start(new SluiceConfig(null, base.runtime(), base.admin(), base.listeners(), base.clusters(),
                Map.of(RecordingFilterProvider.SECTION, YamlNodeReader.read("test.yaml", "enabled: true"))));
    }

    @Test
    void shouldCloseFilterModulesOnceTheLoopsHaveStopped() throws Exception {
        TestBackend web = closer.use(TestBackend.named("web"));
        ProxyServer server = closer.use(start(web));
        try (RawHttpClient client = new RawHttpClient(server.boundAddress("test"))) {
            assertEquals(200, client.get("/").status());
        }
        int closedBefore = RecordingFilterProvider.CLOSED.get();

        server.close();

        assertEquals(closedBefore + 1, RecordingFilterProvider.CLOSED.get(), "modules closed when close() returned");
        assertTrue(server.loops().get(0).isTerminated(), "the loop had stopped");
        server.close();
        assertEquals(closedBefore + 1, RecordingFilterProvider.CLOSED.get(), "a second close() closes nothing again");
    }

    @Test
    void shouldKeepFilterModulesOpenWhileALoopStillRunsAndCloseThemWhenItStops() throws Exception {
        TestBackend web = closer.use(TestBackend.named("web"));
        ProxyServer server = closer.use(start(web));
        EventLoop loop = server.loops().get(0);
        Channel listening = server.listeners().get(0).serverChannels().get(0);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // hold the loop from just after its listening socket closed until the test releases it: the loop then
        // outlives close()'s wait for it (and, on NIO, its wait for the loop to finish closing the socket)
        listening.closeFuture().addListener(f -> loop.execute(() -> {
            held.countDown();
            Await.holdUntil(release, "the loop");
        }));
        int closedBefore = RecordingFilterProvider.CLOSED.get();

        try {
            server.close();

            assertTrue(held.await(0, TimeUnit.SECONDS), "the loop was held while close() ran");
            assertEquals(closedBefore, RecordingFilterProvider.CLOSED.get(), "modules closed under a running loop");
            assertNotSame(FilterChain.EMPTY, server.filterChain(),
                    "a request the held loop still handles would meet no filters (an API key unchecked)");
        } finally {
            release.countDown();
        }
        Await.until("the modules closed after the loop stopped",
                () -> RecordingFilterProvider.CLOSED.get() == closedBefore + 1);
        assertTrue(loop.isTerminated(), "the loop had stopped before its modules closed");
        assertSame(FilterChain.EMPTY, server.filterChain(), "the closed modules are no longer published");
    }
}
