package dev.sluice.admin.systemd;

import io.netty.util.concurrent.EventExecutor;

import java.util.Map;

/**
 * Tells systemd about this service's state with the {@code sd_notify(3)} protocol: newline-separated
 * {@code KEY=VALUE} datagrams sent to the unix socket named by {@code NOTIFY_SOCKET}. The unit runs with
 * {@code Type=notify}, so systemd considers Sluice started only after {@link #ready(String)}.
 *
 * <p>Lifecycle, as the launcher drives it:
 * <ol>
 *   <li>{@link #fromEnvironment()} once at startup, before the listeners bind;</li>
 *   <li>{@link #startWatchdog(Iterable)} once the event loops run, then {@link #ready(String)} once every listener
 *       is bound and the admin API answers;</li>
 *   <li>on {@code SIGHUP}: {@link #reloading()}, reload, then {@link #ready(String)} again, also when the reload
 *       failed and the old config stays (systemd waits for that {@code READY=1} to end the reload);</li>
 *   <li>on {@code SIGTERM}: {@link #stopping()} when draining starts, {@link #close()} just before exit.</li>
 * </ol>
 *
 * <p>Without {@code NOTIFY_SOCKET} (run from a shell, a test, a container without systemd) every method is a
 * no-op that starts no thread and sends nothing.
 *
 * <p>Threading: thread-safe. The state methods never block: they hand the message to the notifier's own
 * thread and return, so they may be called from any thread, event loops included. Messages sent from one
 * thread arrive in the order they were sent. A message that cannot be delivered is logged as a warning (the
 * service keeps running: systemd will act on the missing message itself). {@link #fromEnvironment()} and
 * {@link #close()} block briefly and belong to the launcher's main thread. Allocation: one small buffer per
 * message; nothing here is on the request path.
 */
public interface SystemdNotifier extends AutoCloseable {

    /**
     * Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} from the process environment.
     *
     * @return a no-op notifier when {@code NOTIFY_SOCKET} is unset, otherwise one connected to that socket
     * @throws IllegalArgumentException when a variable is malformed (e.g. a {@code vsock:} address)
     * @throws IllegalStateException    when the socket cannot be reached, or the native epoll transport that
     *                                  provides unix datagram sockets on the JVM is unavailable
     */
    static SystemdNotifier fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * As {@link #fromEnvironment()}, reading the variables from {@code environment}.
     */
    static SystemdNotifier fromEnvironment(Map<String, String> environment) {
        NotifyEnvironment parsed = NotifyEnvironment.parse(environment, ProcessHandle.current().pid());
        if (parsed.socket().isEmpty()) {
            return DisabledNotifier.INSTANCE;
        }
        return DatagramNotifier.connect(parsed.socket().get(), parsed.watchdogUsec());
    }

    /** True when messages go to systemd; false for the no-op notifier. */
    boolean isEnabled();

    /**
     * Startup or a reload finished: sends {@code READY=1} and {@code STATUS=status}.
     *
     * @param status one line shown by {@code systemctl status}; line breaks become spaces
     */
    void ready(String status);

    /**
     * A reload began: sends {@code RELOADING=1} with {@code MONOTONIC_USEC=} the current {@code CLOCK_MONOTONIC}
     * time in microseconds. Follow it with {@link #ready(String)} when the reload ends, whatever its outcome.
     */
    void reloading();

    /** Draining began and the process will exit: sends {@code STOPPING=1}. */
    void stopping();

    /**
     * Sends {@code STATUS=status}, the free-form line {@code systemctl status} shows.
     *
     * @param status one line; line breaks become spaces
     */
    void status(String status);

    /**
     * Starts feeding systemd's watchdog ({@code WatchdogSec=}): every {@code WATCHDOG_USEC / 2} a thread of its
     * own posts a no-op task to each of {@code loops} and sends {@code WATCHDOG=1} only if every loop ran the task
     * it was given one period earlier. A loop stuck in a task therefore stops the pings, and systemd restarts the
     * service when the timeout passes. The first stuck period logs which loop is stuck; recovery is logged too.
     *
     * <p>Call it once, after the loops started. Without a watchdog in the environment it returns an inactive
     * {@link Watchdog} and starts nothing.
     *
     * @param loops every event loop that serves traffic, e.g. the data plane's {@code EventLoopGroup}
     * @return the running watchdog; {@link #close()} stops it as well
     * @throws IllegalStateException when called a second time, or after {@link #close()} (the no-op notifier
     *                               never throws)
     */
    Watchdog startWatchdog(Iterable<? extends EventExecutor> loops);

    /**
     * Stops the watchdog, delivers the messages already handed over, closes the socket and ends the
     * notifier's thread. Later calls to the state methods are ignored. Idempotent.
     */
    @Override
    void close();
}
