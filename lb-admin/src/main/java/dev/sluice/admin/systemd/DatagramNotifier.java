package dev.sluice.admin.systemd;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code sd_notify} datagrams over a unix datagram socket connected to {@code NOTIFY_SOCKET}.
 *
 * <p>Java 17 has no unix <em>datagram</em> channel ({@code SocketChannel} does unix streams only, and no
 * abstract names), so this uses Netty's epoll {@link EpollDomainDatagramChannel} on a one-thread event loop
 * group of its own, never one of the data plane's loops. The socket is connected once: a missing socket fails
 * at startup rather than at the first message, and a connected unix datagram socket reports writability from
 * the receiver's queue, so a slow systemd cannot make the notifier spin.
 *
 * <p>Threading: thread-safe. State methods hand a buffer to the channel ({@code writeAndFlush} from any thread
 * is queued to the channel's loop in call order) and return at once; a failed write is logged by a listener on
 * the notifier's thread. Owns its thread, its channel and at most one {@link EventLoopWatchdog}.
 */
final class DatagramNotifier implements SystemdNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramNotifier.class);

    /** systemd reads at most one pipe buffer per message; a status line is cut well below that. */
    private static final int MAX_STATUS_CHARS = 1024;

    private final NotifySocket socket;
    private final long watchdogUsec;
    private final EventLoopGroup group;
    private final Channel channel;
    private final Object lock = new Object(); // guards the watchdog fields and closed; never taken on a loop
    private boolean watchdogStarted;
    private EventLoopWatchdog watchdog;
    private volatile boolean closed;

    private DatagramNotifier(NotifySocket socket, long watchdogUsec, EventLoopGroup group, Channel channel) {
        this.socket = socket;
        this.watchdogUsec = watchdogUsec;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Connects a unix datagram socket to {@code socket}. Blocks until connected; startup only.
     *
     * @param watchdogUsec {@code WATCHDOG_USEC}, or 0 without a watchdog
     * @throws IllegalStateException when epoll is unavailable or the socket cannot be connected
     */
    static DatagramNotifier connect(NotifySocket socket, long watchdogUsec) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("NOTIFY_SOCKET=" + socket.text() + " is set, but the native epoll "
                    + "transport that provides unix datagram sockets is unavailable: " + Epoll.unavailabilityCause(),
                    Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("sluice-notify", true), EpollIoHandler.newFactory());
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()) // systemd never answers; nothing to read
                .connect(socket.address())
                .awaitUninterruptibly();
        if (!connected.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IllegalStateException("cannot connect to NOTIFY_SOCKET=" + socket.text() + ": "
                    + connected.cause(), connected.cause());
        }
        LOG.debug("connected to NOTIFY_SOCKET={} (abstract: {}), WATCHDOG_USEC={}",
                socket.text(), socket.isAbstract(), watchdogUsec);
        return new DatagramNotifier(socket, watchdogUsec, group, connected.channel());
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    @Override
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros());
    }

    @Override
    public void stopping() {
        send("STOPPING=1");
    }

    @Override
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** Sends {@code WATCHDOG=1}. Called by the watchdog's thread only when every loop is responsive. */
    void watchdogPing() {
        send("WATCHDOG=1");
    }

    @Override
    public Watchdog startWatchdog(Iterable<? extends EventExecutor> loops) {
        Objects.requireNonNull(loops, "loops");
        synchronized (lock) {
            if (closed || watchdogStarted) {
                throw new IllegalStateException(closed ? "notifier is closed" : "watchdog already started");
            }
            watchdogStarted = true;
            if (watchdogUsec == 0) {
                return DisabledNotifier.INSTANCE; // systemd asked for no watchdog (or one for another process)
            }
            // systemd's advice: ping at half the timeout, so one late period is not yet fatal.
            watchdog = EventLoopWatchdog.start(this::watchdogPing, loops, watchdogUsec / 2);
            return watchdog;
        }
    }

    @Override
    public void close() {
        EventLoopWatchdog running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = watchdog;
        }
        if (running != null) {
            running.close();
        }
        // close() is queued behind the writes already handed over, so they go out first.
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * {@code CLOCK_MONOTONIC} in microseconds, which systemd compares with its own clock to tell a current reload
     * from a stale message. On Linux, HotSpot implements {@link System#nanoTime()} with
     * {@code clock_gettime(CLOCK_MONOTONIC)} and adds no offset, so it is that clock read in nanoseconds.
     */
    static long monotonicMicros() {
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
    }

    private void send(String message) {
        if (closed) {
            return;
        }
        ByteBuf datagram = Unpooled.copiedBuffer(message, StandardCharsets.UTF_8);
        channel.writeAndFlush(datagram).addListener(written -> {
            if (!written.isSuccess()) {
                LOG.warn("could not notify systemd at {} of {}: {}",
                        socket.text(), message.replace('\n', ' '), written.cause().toString());
            }
        });
    }

    /** A newline would start a new assignment in the datagram; systemd would act on it. */
    private static String oneLine(String status) {
        Objects.requireNonNull(status, "status");
        String line = status.replace('\n', ' ').replace('\r', ' ');
        if (line.length() <= MAX_STATUS_CHARS) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(MAX_STATUS_CHARS - 1)) ? MAX_STATUS_CHARS - 1 : MAX_STATUS_CHARS;
        return line.substring(0, end); // never half a surrogate pair: systemd rejects invalid UTF-8
    }
}
