package dev.sluice.core.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The I/O transports Sluice can run on, best first. Each knows whether this machine supports it, how to
 * make its event loops and which channel classes go with them. Immutable.
 */
public enum Transport {
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    private final String configName;

    Transport(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code runtime.transport} and in logs. */
    public String configName() {
        return configName;
    }

    public boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why this transport is not available here, or {@code null} when it is. */
    public String unavailabilityReason() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        if (cause == null) {
            return null;
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Every transport available on this machine, best first. */
    public static List<Transport> available() {
        List<Transport> list = new ArrayList<>();
        for (Transport t : values()) {
            if (t.isAvailable()) {
                list.add(t);
            }
        }
        return list;
    }

    /**
     * Resolves {@code runtime.transport}: {@code auto} takes the best available; a named transport must be
     * available.
     *
     * @throws IllegalArgumentException naming the transport and why it cannot be used
     */
    public static Transport select(String configured) {
        String name = configured == null ? "auto" : configured.toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            return available().get(0);
        }
        for (Transport t : values()) {
            if (t.configName.equals(name)) {
                if (!t.isAvailable()) {
                    throw new IllegalArgumentException("runtime.transport '" + name + "' is not available on this machine: "
                            + t.unavailabilityReason());
                }
                return t;
            }
        }
        throw new IllegalArgumentException("runtime.transport '" + configured + "' is unknown; expected auto, io_uring, epoll or nio");
    }

    private IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /** Creates {@code threads} event loops of this transport. */
    public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioListenerChannel.class;
        };
    }

    public Class<? extends Channel> socketChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /**
     * The SO_REUSEPORT option for this transport's server channels. Each event loop binds its own listening
     * socket with it, so the kernel spreads connections over loops and a connection never changes loop.
     */
    public ChannelOption<Boolean> reusePortOption() {
        return switch (this) {
            case IO_URING, EPOLL -> UnixChannelOption.SO_REUSEPORT;
            case NIO -> NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
        };
    }
}
