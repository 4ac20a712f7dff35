package dev.sluice.core.proxy;

import dev.sluice.core.testing.Await;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.OneLoop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a listening socket (a drain, a reload that drops or moves a listener) returns only once the operating
 * system refuses new connections on it. A connection the kernel still queued after that would be reset unanswered,
 * and a drain that says "nothing new is accepted" would not be true yet.
 */
class ListenerCloseTest {

    @RegisterExtension
    final Closer closer = new Closer();

    /**
     * The loop is held from the moment the close has run on it, before it can poll again. A transport that finishes
     * closing the socket only in its next poll (NIO's selector does) must not let {@code closeListeningSocket}
     * return during that hold; one that closes it at once may, and then connecting is refused already. Either way,
     * once it has returned, connecting is refused.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sluice.core.testing.Transports#names")
    void shouldReturnOnlyOnceTheSocketRefusesConnections(String transportName) throws Exception {
        OneLoop one = closer.use(OneLoop.start(transportName, "close-test"));
        EventLoop loop = one.loop();
        Channel server = ListenerBinder.listenerBootstrap(one.transport(), loop)
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        InetSocketAddress address = (InetSocketAddress) server.localAddress();

        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.closeFuture().addListener(f -> loop.execute(() -> { // runs in the same pass as the close itself
            holding.countDown();
            Await.holdUntil(release, "the loop after the close");
        }));
        server.close(); // closeListeningSocket below finds the close under way and waits for what is left of it
        CompletableFuture<Void> closing;
        try {
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the close ran on the loop");
            // The close's own follow-up tasks are queued by now and nothing runs while the loop is held, so one task
            // more means closeListeningSocket is waiting on the loop.
            SingleThreadEventExecutor executor = (SingleThreadEventExecutor) loop;
            int queuedByTheClose = executor.pendingTasks();
            closing = CompletableFuture.runAsync(() -> ListenerBinder.closeListeningSocket(server));
            Await.until("the close returned or waits on the loop",
                    () -> closing.isDone() || executor.pendingTasks() > queuedByTheClose);
            if (closing.isDone()) {
                assertRefused(address, "right after closeListeningSocket returned, with the loop still held");
            }
        } finally {
            release.countDown();
        }
        closing.get(10, TimeUnit.SECONDS);
        assertRefused(address, "after closeListeningSocket returned");
    }

    private static void assertRefused(InetSocketAddress address, String when) {
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close(),
                "a connection to the closed listening socket " + when);
    }
}
