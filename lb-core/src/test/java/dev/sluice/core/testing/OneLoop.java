package dev.sluice.core.testing;

import dev.sluice.core.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * One event loop of a named transport, for tests of what a single socket does on its loop; closing it shuts the
 * loop down (register it with a {@link Closer}).
 */
public final class OneLoop implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup group;

    private OneLoop(Transport transport, String threadName) {
        this.transport = transport;
        this.group = transport.newEventLoopGroup(1, new DefaultThreadFactory(threadName));
    }

    /** Starts one loop of the transport named {@code transportName} (as in {@link Transports#names}). */
    public static OneLoop start(String transportName, String threadName) {
        return new OneLoop(Transport.select(transportName), threadName);
    }

    public Transport transport() {
        return transport;
    }

    public EventLoop loop() {
        return group.next();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
