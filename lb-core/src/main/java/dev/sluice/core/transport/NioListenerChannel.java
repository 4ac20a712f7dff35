package dev.sluice.core.transport;

import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.nio.channels.ServerSocketChannel;

/**
 * NIO's listening socket, able to tell when the operating system's socket is really gone. The JDK closes a channel
 * that is registered with a selector only when that selector next polls, so for a moment after {@link #close()}
 * has completed the socket still queues new connections, which are reset unanswered once it does close. The epoll
 * and io_uring listeners close the descriptor within {@code close()} itself.
 */
public final class NioListenerChannel extends NioServerSocketChannel {

    /**
     * Whether the channel is closed and its selector has let go of it, after which the JDK closes the socket on
     * the same (loop) thread before that poll returns. Any thread may ask.
     */
    public boolean isDeregisteredAfterClose() {
        ServerSocketChannel socket = javaChannel();
        return !socket.isOpen() && !socket.isRegistered();
    }
}
