package dev.sluice.core.proxy;

import dev.sluice.core.testing.Await;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.OneLoop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a listening socket takes the connections waiting in its accept queue: all of them (up to
 * {@link ListenerBinder#ACCEPTS_PER_WAKEUP}) in the pass of its loop that finds the socket readable, not one per
 * pass, so that a burst of new connections is not served one pass of every other connection at a time.
 */
class ListenerAcceptTest {

    private static final int QUEUED = 32;

    private final List<Socket> clients = new ArrayList<>();
    @RegisterExtension
    final Closer closer = new Closer(); // shuts the loop down after close() below closed the sockets on it

    private Channel server;

    @AfterEach
    void close() throws IOException, InterruptedException {
        for (Socket s : clients) {
            s.close();
        }
        if (server != null) {
            server.close().sync();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sluice.core.testing.Transports#names")
    void shouldAcceptEveryQueuedConnectionInTheLoopPassThatFindsThem(String transportName) throws Exception {
        OneLoop one = closer.use(OneLoop.start(transportName, "accept-test"));
        EventLoop loop = one.loop();
        AtomicInteger acceptedInPass = new AtomicInteger();
        CompletableFuture<Integer> firstPass = new CompletableFuture<>();
        CompletableFuture<Boolean> noDelay = new CompletableFuture<>();
        server = ListenerBinder.listenerBootstrap(one.transport(), loop)
                .handler(new ChannelInboundHandlerAdapter() { // on the listening socket: one read per connection
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
                        acceptedInPass.incrementAndGet();
                        ctx.fireChannelRead(accepted);
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        firstPass.complete(acceptedInPass.getAndSet(0)); // the end of one pass over the queue
                        ctx.fireChannelReadComplete();
                    }
                })
                .childHandler(new ChannelInitializer<Channel>() { // shared by every accepted connection
                    @Override
                    protected void initChannel(Channel accepted) {
                        noDelay.complete(accepted.config().getOption(ChannelOption.TCP_NODELAY));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        // hold the loop while the kernel completes every handshake, so that all the connections wait in the queue
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            holding.countDown();
            Await.holdUntil(release, "the loop");
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the loop did not run the holding task");
        try {
            for (int i = 0; i < QUEUED; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port)); // returns once queued
            }
        } finally {
            release.countDown();
        }

        assertEquals(QUEUED, firstPass.get(10, TimeUnit.SECONDS),
                "connections accepted in the first pass over " + QUEUED + " queued ones");
        assertTrue(noDelay.get(10, TimeUnit.SECONDS), "accepted connections keep the transport's TCP_NODELAY default");
    }
}
