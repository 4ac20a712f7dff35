package dev.sluice.admin.systemd;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Plays systemd's side of the notify protocol in tests: a unix datagram socket bound to a path or an abstract
 * name, collecting each datagram as a string. Messages are queued by the receiver's own loop and taken by the
 * test thread.
 */
final class NotifySocketReceiver implements AutoCloseable {

    /** Generous: a message that is coming arrives in microseconds; this only bounds a failing test. */
    private static final long RECEIVE_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<String> messages;

    private NotifySocketReceiver(EventLoopGroup group, Channel channel, BlockingQueue<String> messages) {
        this.group = group;
        this.channel = channel;
        this.messages = messages;
    }

    /** Binds to {@code address}; a path starting with NUL binds in the abstract namespace. */
    static NotifySocketReceiver bind(DomainSocketAddress address) throws InterruptedException {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                            messages.add(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(address)
                    .sync()
                    .channel();
            return new NotifySocketReceiver(group, channel, messages);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /** The next datagram; fails the test when none arrives within the timeout. */
    String next() throws InterruptedException {
        String message = messages.poll(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (message == null) {
            fail("no notify message arrived within " + RECEIVE_TIMEOUT_SECONDS + " s");
        }
        return message;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
