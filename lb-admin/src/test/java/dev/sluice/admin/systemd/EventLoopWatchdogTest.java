package dev.sluice.admin.systemd;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EventLoopWatchdogTest {

    /** Bounds waits in a failing test; a passing test never comes near it. */
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsUnixDatagramSockets() {
        assumeTrue(Epoll.isAvailable(), "unix datagram sockets come from the native epoll transport (Linux only)");
    }

    @Test
    void shouldPingAtHalfTheTimeoutWhileEveryLoopIsResponsive() throws Exception {
        Path socket = dir.resolve("notify.sock");
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socket.toFile()));
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString(),
                     "WATCHDOG_USEC", "200000", "WATCHDOG_PID", Long.toString(ProcessHandle.current().pid())))) {
            Watchdog watchdog = notifier.startWatchdog(loops);
            assertTrue(watchdog.isEnabled());
            assertEquals(100_000, watchdog.intervalMicros());
            assertEquals("WATCHDOG=1", systemd.next());
            assertEquals("WATCHDOG=1", systemd.next());
            assertThrows(IllegalStateException.class, () -> notifier.startWatchdog(loops));
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void shouldWithholdPingsWhileALoopIsBlockedAndResumeWhenItRecovers() throws Exception {
        Path socket = dir.resolve("notify.sock");
        EventExecutorGroup group = new DefaultEventExecutorGroup(2);
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socket.toFile()));
             DatagramNotifier notifier = DatagramNotifier.connect(NotifySocket.parse(socket.toString()), 0)) {
            EventLoopWatchdog watchdog = EventLoopWatchdog.unscheduled(notifier::watchdogPing, loops, 1_000_000);
            drain(loops);
            assertTrue(watchdog.tick(), "every loop ran its first probe");
            assertEquals("WATCHDOG=1", systemd.next());

            // Tasks run in order: the probe posted by the tick above runs before the blocking task.
            loops.get(1).execute(() -> awaitQuietly(blocked, release));
            assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
            drain(loops.subList(0, 1));
            assertTrue(watchdog.tick(), "both probes ran before loop 1 blocked");
            assertEquals("WATCHDOG=1", systemd.next());

            assertFalse(watchdog.tick(), "loop 1 has not run the probe posted while it was blocked");
            assertFalse(watchdog.tick(), "still blocked");
            notifier.status("marker");
            assertEquals("STATUS=marker", systemd.next(), "no WATCHDOG=1 was sent while loop 1 was blocked");

            release.countDown();
            // both: loop 0's probe, posted again by the ticks above, may still be queued on a busy machine
            drain(loops);
            assertTrue(watchdog.tick(), "loop 1 caught up");
            assertEquals("WATCHDOG=1", systemd.next());
        } finally {
            release.countDown();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void shouldWithholdPingsOnceALoopHasShutDown() {
        AtomicInteger pings = new AtomicInteger();
        DefaultEventExecutor alive = new DefaultEventExecutor();
        DefaultEventExecutor stopped = new DefaultEventExecutor();
        try {
            EventLoopWatchdog watchdog = EventLoopWatchdog.unscheduled(
                    pings::incrementAndGet, List.of(alive, stopped), 1_000_000);
            drain(List.of(alive, stopped));
            stopped.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            assertTrue(watchdog.tick(), "both loops ran their first probe");
            drain(List.of(alive));
            assertFalse(watchdog.tick(), "the stopped loop rejected its probe");
            assertEquals(1, pings.get());
        } finally {
            alive.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void shouldRefuseToWatchNoLoops() {
        assertThrows(IllegalArgumentException.class, () -> EventLoopWatchdog.unscheduled(() -> { }, List.of(), 1));
    }

    /** Returns once every loop ran every task queued before this call (tasks run in submission order). */
    private static void drain(List<? extends EventExecutor> loops) {
        for (EventExecutor loop : loops) {
            assertTrue(loop.submit(() -> { }).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS),
                    "loop did not run a task within " + WAIT_SECONDS + " s");
        }
    }

    private static void awaitQuietly(CountDownLatch blocked, CountDownLatch release) {
        blocked.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the group is shutting down; let the loop end
        }
    }
}
