package dev.sluice.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * Where probes and health timers run: one event loop and the client channel type that matches its I/O handler
 * (NIO, epoll or io_uring; the caller picks the transport). Immutable.
 *
 * <p>Every probe, timer and state change of the health module runs on {@link #loop()}, and the
 * {@link HealthTarget} is called there. A dedicated single-thread loop keeps even that small work off the
 * data-plane loops; a worker loop also works, since nothing here blocks.
 *
 * @param loop     the health event loop
 * @param channels makes client channels that can register with {@code loop}
 */
public record ProbeTransport(EventLoop loop, ChannelFactory<? extends Channel> channels) {

    public ProbeTransport {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(channels, "channels");
    }

    /** A transport for {@code loop} whose client channels are made reflectively from {@code channelClass}. */
    public static ProbeTransport of(EventLoop loop, Class<? extends Channel> channelClass) {
        return new ProbeTransport(loop, new ReflectiveChannelFactory<>(channelClass));
    }

    /** A fresh bootstrap bound to the loop whose connect gives up after {@code timeout}; the caller adds the handler. */
    Bootstrap bootstrap(Duration timeout) {
        int connectTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return new Bootstrap()
                .group(loop)
                .channelFactory(channels)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true);
    }
}
