package dev.sluice.admin.systemd;

import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pings systemd's watchdog only while every event loop is responsive.
 *
 * <p>Each period, {@link #tick()} looks at one {@link Probe} per loop: a no-op task posted to the loop one period
 * earlier. If every loop ran its probe, it pings; then it posts fresh probes to the loops that ran theirs. A loop
 * busy in one task for a whole period leaves its probe queued, so no ping is sent until it catches up, and a
 * loop that never catches up gets the service restarted by systemd. A probe is never posted twice, so a stuck
 * loop does not collect a growing queue of them.
 *
 * <p>Threading: {@link #tick()} runs on the watchdog's own scheduler thread, never on an event loop; probes run
 * on their loops and only clear a volatile flag. Allocation: none per period after start.
 */
final class EventLoopWatchdog implements Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopWatchdog.class);

    private final Runnable ping;
    private final List<Probe> probes;
    private final long intervalMicros;
    private final ScheduledExecutorService scheduler; // null when a test drives tick() itself

    private EventLoopWatchdog(Runnable ping, List<Probe> probes, long intervalMicros,
                              ScheduledExecutorService scheduler) {
        this.ping = ping;
        this.probes = probes;
        this.intervalMicros = intervalMicros;
        this.scheduler = scheduler;
    }

    /**
     * Posts the first probes and starts a daemon thread that runs {@link #tick()} every {@code intervalMicros}.
     */
    static EventLoopWatchdog start(Runnable ping, Iterable<? extends EventExecutor> loops, long intervalMicros) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sluice-watchdog");
            thread.setDaemon(true); // never keeps the JVM alive on its own
            return thread;
        });
        EventLoopWatchdog watchdog = unscheduled(ping, loops, intervalMicros, scheduler);
        scheduler.scheduleAtFixedRate(watchdog::tickLogged, intervalMicros, intervalMicros, TimeUnit.MICROSECONDS);
        LOG.info("watchdog: checking {} event loop(s) every {} ms", watchdog.probes.size(), intervalMicros / 1000);
        return watchdog;
    }

    /** Posts the first probes without starting a thread: the caller runs {@link #tick()}. For tests. */
    static EventLoopWatchdog unscheduled(Runnable ping, Iterable<? extends EventExecutor> loops, long intervalMicros) {
        return unscheduled(ping, loops, intervalMicros, null);
    }

    private static EventLoopWatchdog unscheduled(Runnable ping, Iterable<? extends EventExecutor> loops,
                                                 long intervalMicros, ScheduledExecutorService scheduler) {
        Objects.requireNonNull(ping, "ping");
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("watchdog interval must be positive: " + intervalMicros + " µs");
        }
        List<Probe> probes = new ArrayList<>();
        for (EventExecutor loop : loops) {
            probes.add(new Probe(probes.size(), Objects.requireNonNull(loop, "loop")));
        }
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("watchdog needs at least one event loop to watch");
        }
        for (Probe probe : probes) {
            probe.post();
        }
        return new EventLoopWatchdog(ping, List.copyOf(probes), intervalMicros, scheduler);
    }

    /**
     * One period: pings when every loop ran its probe since the previous period, and posts the next probes.
     *
     * @return true when it pinged
     */
    boolean tick() {
        boolean allRan = true;
        for (Probe probe : probes) {
            allRan &= probe.ranThenRepost(intervalMicros);
        }
        if (allRan) {
            ping.run();
        }
        return allRan;
    }

    /** The scheduled form of {@link #tick()}: an exception would silently cancel every later period. */
    private void tickLogged() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("watchdog check failed; no ping this period", e);
        }
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public long intervalMicros() {
        return intervalMicros;
    }

    @Override
    public void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("watchdog thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // keep the caller's interrupt; the thread is a daemon anyway
        }
    }

    /**
     * The no-op task posted to one loop. {@code pending} is written by the watchdog thread before posting and
     * cleared by the loop when the task runs; every other field belongs to the watchdog thread.
     */
    private static final class Probe implements Runnable {
        private final int index;
        private final EventExecutor loop;
        private volatile boolean pending;
        private volatile String loopThread = "not yet known";
        private boolean reportedStuck;

        Probe(int index, EventExecutor loop) {
            this.index = index;
            this.loop = loop;
        }

        @Override
        public void run() {
            loopThread = Thread.currentThread().getName();
            pending = false;
        }

        /** Returns whether the loop ran the previous probe; if so, posts the next one. */
        boolean ranThenRepost(long intervalMicros) {
            if (pending) {
                if (!reportedStuck) {
                    reportedStuck = true;
                    LOG.warn("event loop {} (thread {}) has not run a task for over {} ms; "
                            + "withholding watchdog pings until it does", index, loopThread, intervalMicros / 1000);
                }
                return false;
            }
            if (reportedStuck) {
                reportedStuck = false;
                LOG.info("event loop {} (thread {}) is responsive again", index, loopThread);
            }
            post();
            return true;
        }

        void post() {
            pending = true;
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                // A loop that shut down will never answer: stay pending so the pings stop, and say why once.
                reportedStuck = true;
                LOG.warn("event loop {} (thread {}) rejected the watchdog probe ({}); withholding watchdog pings",
                        index, loopThread, e.toString());
            }
        }
    }
}
