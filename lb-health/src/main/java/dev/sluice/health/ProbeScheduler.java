package dev.sluice.health;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.HostPort;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Probes every backend of one cluster on its own timer and turns the results into rise/fall verdicts.
 *
 * <p>Scheduling: a backend's next probe starts one interval (jittered by ±10% so that probes of many backends
 * and many Sluice instances do not line up) after its previous probe <em>started</em>, but never before that
 * probe completed: there is never more than one probe in flight per backend, and a slow backend is probed
 * less often rather than piled on. The first probe of a new backend starts within the first tenth of an
 * interval, so new backends are judged quickly but not all at the same instant.
 *
 * <p>Confined to its event loop: every method must be called on {@code loop}, and the listener is called
 * there.
 */
final class ProbeScheduler {

    /** Receives every probe result, in order per backend, on the loop. */
    interface Listener {
        /**
         * @param flipped whether this result flipped the backend's active verdict
         * @param healthy the verdict after this result
         */
        void onProbe(HostPort backend, ProbeResult result, boolean flipped, boolean healthy);
    }

    private static final double JITTER = 0.10;

    private final EventLoop loop;
    private final HealthCheck check;
    private final long intervalNanos;
    private final int rise;
    private final int fall;
    private final RandomGenerator random;
    private final Listener listener;
    private final Map<HostPort, Target> targets = new HashMap<>();
    private boolean closed;

    ProbeScheduler(EventLoop loop, HealthCheck check, Duration interval, int rise, int fall, RandomGenerator random,
                   Listener listener) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("health_check.interval must be positive, got " + interval);
        }
        this.loop = loop;
        this.check = check;
        this.intervalNanos = interval.toNanos();
        this.rise = rise;
        this.fall = fall;
        this.random = random;
        this.listener = listener;
    }

    /**
     * Makes the probed backends those of {@code backends}: new ones start unproven and are probed soon,
     * missing ones stop being probed (an in-flight probe is cancelled), kept ones keep their verdict and
     * timer but pick up a changed socket address for their next probe.
     */
    void reconcile(List<Backend> backends) {
        if (closed) {
            return;
        }
        Set<HostPort> present = new HashSet<>();
        for (Backend b : backends) {
            present.add(b.address());
            Target t = targets.get(b.address());
            if (t == null) {
                t = new Target(b.address(), b.socketAddress(), new RiseFallTracker(rise, fall));
                targets.put(b.address(), t);
                schedule(t, (long) (random.nextDouble() * intervalNanos * JITTER));
            } else {
                t.address = b.socketAddress();
            }
        }
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
            Target t = it.next();
            if (!present.contains(t.backend)) {
                it.remove();
                t.stop();
            }
        }
    }

    /** The current verdict, or {@code false} for a backend that is not probed. */
    boolean isHealthy(HostPort backend) {
        Target t = targets.get(backend);
        return t != null && t.tracker.isHealthy();
    }

    /** Whether a probe of {@code backend} is in flight now. */
    boolean isProbing(HostPort backend) {
        Target t = targets.get(backend);
        return t != null && t.inFlight != null;
    }

    /** Stops every timer and cancels every in-flight probe, which closes its connection. Idempotent. */
    void close() {
        closed = true;
        for (Target t : targets.values()) {
            t.stop();
        }
        targets.clear();
    }

    private void schedule(Target t, long delayNanos) {
        t.timer = loop.schedule(() -> fire(t), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void fire(Target t) {
        t.timer = null;
        if (t.stopped) {
            return;
        }
        t.startedNanos = System.nanoTime();
        Future<ProbeResult> probe = check.probe(t.backend, t.address);
        t.inFlight = probe;
        probe.addListener(f -> onResult(t, probe));
    }

    private void onResult(Target t, Future<ProbeResult> probe) {
        if (t.stopped || t.inFlight != probe) {
            return;
        }
        t.inFlight = null;
        ProbeResult result = probe.isSuccess() ? probe.getNow()
                : ProbeResult.unhealthy("probe aborted: " + ProbeAttempt.describe(probe.cause()));
        boolean flipped = t.tracker.record(result.healthy());
        long jittered = (long) (intervalNanos * (1 - JITTER + 2 * JITTER * random.nextDouble()));
        schedule(t, jittered - (System.nanoTime() - t.startedNanos));
        listener.onProbe(t.backend, result, flipped, t.tracker.isHealthy());
    }

    /** One probed backend. Confined to the loop. */
    private static final class Target {
        final HostPort backend;
        final RiseFallTracker tracker;
        InetSocketAddress address;
        ScheduledFuture<?> timer;
        Future<ProbeResult> inFlight;
        long startedNanos;
        boolean stopped;

        Target(HostPort backend, InetSocketAddress address, RiseFallTracker tracker) {
            this.backend = backend;
            this.address = address;
            this.tracker = tracker;
        }

        void stop() {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            if (inFlight != null) {
                inFlight.cancel(false);
                inFlight = null;
            }
        }
    }
}
