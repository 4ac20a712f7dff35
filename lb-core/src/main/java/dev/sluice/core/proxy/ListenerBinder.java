package dev.sluice.core.proxy;

import dev.sluice.core.config.HostPort;
import dev.sluice.core.transport.NioListenerChannel;
import dev.sluice.core.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Binds a listener once per event loop with SO_REUSEPORT, each socket served by its own loop
 * ({@code group(loop, loop)}), so the kernel spreads connections over loops and every connection lives its
 * whole life on the loop that accepted it. Control-plane only.
 */
final class ListenerBinder {

    /** The most connections a listening socket accepts each time its loop finds it readable. */
    static final int ACCEPTS_PER_WAKEUP = 64;

    /** The longest {@link #closeListeningSocket} waits for a loop to finish closing a socket. */
    static final int SOCKET_RELEASE_WAIT_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ListenerBinder.class);

    private final Transport transport;
    private final List<Worker> workers;
    private final Map<ListenerRuntime, InetSocketAddress> bound = new ConcurrentHashMap<>();
    private final List<ListenerRuntime> unbound = new ArrayList<>();

    ListenerBinder(Transport transport, List<Worker> workers) {
        this.transport = transport;
        this.workers = workers;
    }

    /** @throws IllegalStateException naming the listener and address when a bind fails */
    void bind(ListenerRuntime listener, HostPort address) {
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("listener " + listener.name() + ": cannot resolve bind address " + address);
        }
        try {
            for (Worker w : workers) {
                ServerBootstrap b = listenerBootstrap(transport, w.loop())
                        .childHandler(new FrontendInitializer(w, listener));
                ChannelFuture f = b.bind(target).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    throw new IllegalStateException("listener " + listener.name() + ": cannot bind " + address
                            + ": " + f.cause().getMessage(), f.cause());
                }
                Channel ch = f.channel();
                listener.serverChannels().add(ch);
                // With port 0 the first socket picks the port; the others join it.
                target = (InetSocketAddress) ch.localAddress();
            }
        } catch (RuntimeException e) {
            closeSockets(listener);
            throw e;
        }
        bound.put(listener, target);
    }

    /**
     * A listening socket's bootstrap on {@code loop}, which also serves the connections it accepts: SO_REUSEPORT,
     * a backlog of 4,096, and up to {@value #ACCEPTS_PER_WAKEUP} connections accepted each time the loop finds the
     * socket readable. Accepted connections use the pooled allocator and keep the transport's TCP_NODELAY default,
     * which is on (an explicit option would set it a second time, one more system call per connection).
     *
     * <p>Why the accept allocator: Netty's default ends the accept loop when a read "may have more data", which for
     * an accept the epoll transport judges by comparing the new descriptor with 1, so it accepts one connection per
     * pass. Every other ready connection is served before the next accept, and 256 connections opened at once
     * waited up to a second and a half for their first byte on a busy loop. This allocator keeps accepting until
     * the queue is empty or the limit is reached, as HAProxy's {@code tune.maxaccept} does (also 64).
     */
    static ServerBootstrap listenerBootstrap(Transport transport, EventLoop loop) {
        return new ServerBootstrap()
                .group(loop, loop)
                .channel(transport.serverChannelClass())
                .option(transport.reusePortOption(), true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.RECVBUF_ALLOCATOR,
                        new ServerChannelRecvByteBufAllocator().respectMaybeMoreData(false)
                                .maxMessagesPerRead(ACCEPTS_PER_WAKEUP))
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    }

    InetSocketAddress boundAddress(ListenerRuntime listener) {
        return bound.get(listener);
    }

    /** Stops accepting on the listener; its open connections go on until they end. */
    void unbind(ListenerRuntime listener) {
        if (bound.remove(listener) != null) {
            closeSockets(listener);
            synchronized (unbound) {
                unbound.add(listener);
            }
        }
    }

    /** Listeners no longer accepting that may still have connections (for drain accounting). */
    List<ListenerRuntime> unboundWithConnections() {
        synchronized (unbound) {
            unbound.removeIf(l -> l.openConnections() == 0);
            return List.copyOf(unbound);
        }
    }

    private static void closeSockets(ListenerRuntime listener) {
        for (Channel ch : listener.serverChannels()) {
            closeListeningSocket(ch);
        }
        listener.serverChannels().clear();
    }

    /**
     * Closes a listening socket and returns once the operating system refuses connections on it, so that a drain
     * or a reload that drops a listener accepts nothing after it returns, and a new socket bound in its place is the
     * only one the kernel queues connections on. NIO closes the socket only in its selector's next poll: this waits
     * for that poll, waking the loop with empty tasks (the poll runs between two task passes), for at most
     * {@value #SOCKET_RELEASE_WAIT_SECONDS} s. Control-plane only: it blocks.
     */
    static void closeListeningSocket(Channel ch) {
        if (ch.isOpen()) {
            ch.close();
        }
        ch.closeFuture().awaitUninterruptibly();
        if (!(ch instanceof NioListenerChannel nio) || ch.eventLoop().isShuttingDown()) {
            return; // epoll and io_uring closed the descriptor in close(); a stopping loop closes its selector
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOCKET_RELEASE_WAIT_SECONDS);
        boolean released;
        do {
            // Released: the selector let go of the channel and closes the socket in the same poll on the loop, so a
            // task that runs after it finds the socket closed. Not yet: the task wakes the loop into its next poll.
            released = nio.isDeregisteredAfterClose();
            if (!runOnLoopBefore(ch.eventLoop(), deadline)) {
                LOG.warn("listening socket {} may still take connections {} s after it was closed: its loop has not "
                        + "polled since", ch, SOCKET_RELEASE_WAIT_SECONDS);
                return;
            }
        } while (!released);
    }

    /** Runs an empty task on {@code loop}; false when it has not run by {@code deadline} ({@link System#nanoTime}). */
    private static boolean runOnLoopBefore(EventLoop loop, long deadline) {
        long left = deadline - System.nanoTime();
        return left > 0 && loop.submit(() -> { }).awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
    }
}
