package dev.sluice.health;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.OutlierConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The health of one cluster: active probes (when {@code health_check} is configured) and passive outlier
 * detection (when {@code outlier_detection} is), combined into one verdict per backend, <em>healthy = active
 * check passing AND not ejected</em>, which is handed to the cluster's {@link HealthTarget}.
 *
 * <p>Every change of the combined verdict is logged once with its cause, counted in the backend's
 * {@link BackendHealthSnapshot#flips()}, and sent to {@link HealthTarget#setHealthy}. With an active check a
 * new backend starts unhealthy until its first probe succeeds; without one it starts healthy.
 *
 * <p>Every {@link #DEFAULT_POLL_INTERVAL} the health loop reads {@link HealthTarget#currentBackends()} (a new
 * version picks up added and removed backends) and the data plane's {@link FailureSource}, and applies the
 * {@link OutlierDetector}'s decisions. Polling keeps the data plane free of any health work: it only counts.
 *
 * <p>Threading: confined to the transport's loop; the public methods may be called from any thread and hand
 * their work to that loop. {@link #snapshot()} reads a volatile snapshot republished after every change.
 *
 * <p>Lifecycle: {@link #start} begins work at once; {@link #close()} stops it. A config change to
 * {@code health_check} or {@code outlier_detection} means closing this one and starting another.
 */
public final class ClusterHealth {

    /** How often failure counters and the backend set are read. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(ClusterHealth.class);

    private final String cluster;
    private final EventLoop loop;
    private final HealthTarget target;
    private final FailureSource failures;
    private final ProbeScheduler probes;
    private final OutlierDetector outliers;
    private final LongSupplier clock;
    private final long pollNanos;
    private final Map<HostPort, Tracked> tracked = new HashMap<>();
    private List<HostPort> order = List.of();
    private long seenVersion = Long.MIN_VALUE;
    private long refusedSeen;
    private ScheduledFuture<?> poller;
    private boolean closed;
    private volatile ClusterHealthSnapshot snapshot;

    ClusterHealth(String cluster, EventLoop loop, HealthTarget target, FailureSource failures, HealthCheck check,
                  HealthCheckConfig checkConfig, OutlierConfig outlierConfig, LongSupplier clock,
                  RandomGenerator random, Duration poll) {
        this.cluster = cluster;
        this.loop = loop;
        this.target = target;
        this.failures = failures;
        this.probes = check == null ? null : new ProbeScheduler(loop, check, checkConfig.interval(),
                checkConfig.rise(), checkConfig.fall(), random, this::onProbe);
        this.outliers = outlierConfig == null ? null : new OutlierDetector(outlierConfig);
        this.clock = clock;
        this.pollNanos = poll.toNanos();
        this.snapshot = new ClusterHealthSnapshot(cluster, List.of(), 0);
    }

    /**
     * Starts health checking of {@code config}'s cluster on {@code transport}'s loop. A cluster with neither
     * a health check nor outlier detection gets an instance that only tracks membership and keeps every
     * backend healthy.
     *
     * @param failures the data plane's counters; {@link FailureSource#NONE} when there are none
     * @throws IllegalArgumentException when the health check or outlier config is out of range (config
     *                                  validation should have caught it)
     */
    public static ClusterHealth start(ClusterConfig config, HealthTarget target, FailureSource failures,
                                      ProbeTransport transport) {
        HealthCheckConfig hc = config.healthCheck();
        HealthCheck check = hc == null ? null : HealthCheck.of(hc, transport);
        return start(config.name(), transport.loop(), target, failures, check, hc, config.outlierDetection(),
                System::nanoTime, new SplittableRandom(), DEFAULT_POLL_INTERVAL);
    }

    /** As {@link #start(ClusterConfig, HealthTarget, FailureSource, ProbeTransport)}, with every part injected. */
    static ClusterHealth start(String cluster, EventLoop loop, HealthTarget target, FailureSource failures,
                               HealthCheck check, HealthCheckConfig checkConfig, OutlierConfig outlierConfig,
                               LongSupplier clock, RandomGenerator random, Duration poll) {
        ClusterHealth health = new ClusterHealth(cluster, loop, target, failures, check, checkConfig, outlierConfig,
                clock, random, poll);
        loop.execute(health::begin);
        return health;
    }

    /**
     * Reads the target's current backends now instead of at the next poll (which would pick up a new set
     * version anyway). Any thread; does nothing after {@link #close()}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the health loop has shut down
     */
    public void reconcile() {
        loop.execute(() -> {
            seenVersion = Long.MIN_VALUE;
            poll();
        });
    }

    /** The latest published health of every backend. Any thread; never blocks. */
    public ClusterHealthSnapshot snapshot() {
        return snapshot;
    }

    public String cluster() {
        return cluster;
    }

    /**
     * Stops polling and probing: cancels every timer and in-flight probe, which closes probe connections.
     * No verdict is sent afterwards. Any thread; idempotent.
     *
     * @return completes once the loop has stopped everything (at once when the loop is already shut down,
     *         which closed every connection itself)
     */
    public Future<Void> close() {
        Promise<Void> done;
        try {
            done = loop.newPromise();
            loop.execute(() -> {
                stop();
                done.setSuccess(null);
            });
        } catch (RejectedExecutionException e) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        return done;
    }

    private void begin() {
        if (closed) {
            return;
        }
        poller = loop.scheduleWithFixedDelay(this::poll, pollNanos, pollNanos, TimeUnit.NANOSECONDS);
        poll(); // the first reconcile at once, so probes start without waiting a poll period
    }

    private void stop() {
        closed = true;
        if (poller != null) {
            poller.cancel(false);
        }
        if (probes != null) {
            probes.close();
        }
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            BackendSet set = target.currentBackends();
            if (set.version() != seenVersion) {
                reconcile(set);
            }
            if (outliers != null) {
                applyOutliers();
            }
        } catch (RuntimeException e) {
            // A failing target or counter source must not end the periodic task (which one throw would do).
            log.error("cluster {}: health poll failed; retrying at the next poll", cluster, e);
        }
    }

    private void reconcile(BackendSet set) {
        seenVersion = set.version();
        List<Backend> backends = set.backends();
        List<HostPort> addresses = new ArrayList<>(backends.size());
        for (Backend b : backends) {
            addresses.add(b.address());
        }
        order = List.copyOf(addresses);
        tracked.keySet().retainAll(new HashSet<>(addresses));
        if (probes != null) {
            probes.reconcile(backends);
        }
        for (Backend b : backends) {
            Tracked t = tracked.get(b.address());
            if (t == null) {
                t = new Tracked(b.address(), probes == null);
                tracked.put(b.address(), t);
                if (b.healthy() != t.healthy) {
                    log.info("cluster {}: backend {} starts {}: {}", cluster, t.backend, word(t.healthy), t.cause);
                }
            }
            if (b.healthy() != t.healthy) {
                log.debug("cluster {}: set version {} shows backend {} {}; re-sending the verdict", cluster,
                        set.version(), t.backend, word(b.healthy()));
                report(t);
            }
        }
        publish();
    }

    private void onProbe(HostPort backend, ProbeResult result, boolean flipped, boolean healthy) {
        Tracked t = tracked.get(backend);
        if (t == null || closed) {
            return;
        }
        t.probes++;
        if (!result.healthy()) {
            t.probeFailures++;
        }
        t.lastCause = result.cause();
        if (flipped) {
            t.activeHealthy = healthy;
            change(t, "health check " + (healthy ? "passed: " : "failed: ") + result.cause());
        }
        publish();
    }

    private void applyOutliers() {
        List<OutlierDecision> decisions = outliers.evaluate(clock.getAsLong(), order, failures);
        for (OutlierDecision d : decisions) {
            Tracked t = tracked.get(d.backend());
            if (t == null) {
                continue;
            }
            t.ejected = d.isEjection();
            if (t.ejected) {
                t.ejections++;
            }
            change(t, (t.ejected ? "ejected: " : "returned: ") + d.cause());
        }
        if (!decisions.isEmpty() || outliers.overflows() != refusedSeen) {
            refusedSeen = outliers.overflows();
            publish();
        }
    }

    /** Recomputes the combined verdict after an input changed; a flip is logged, counted and reported. */
    private void change(Tracked t, String cause) {
        t.lastCause = cause;
        boolean healthy = t.activeHealthy && !t.ejected;
        if (healthy == t.healthy) {
            log.info("cluster {}: backend {} stays {}: {}", cluster, t.backend, word(healthy), cause);
            return;
        }
        t.healthy = healthy;
        t.cause = cause;
        t.flips++;
        if (healthy) {
            log.info("cluster {}: backend {} is now healthy: {}", cluster, t.backend, cause);
        } else {
            log.warn("cluster {}: backend {} is now unhealthy: {}", cluster, t.backend, cause);
        }
        report(t);
    }

    private void report(Tracked t) {
        try {
            target.setHealthy(t.backend, t.healthy, t.cause);
        } catch (RuntimeException e) {
            log.error("cluster {}: could not mark backend {} {}; will retry with the next backend set",
                    cluster, t.backend, word(t.healthy), e);
        }
    }

    private void publish() {
        List<BackendHealthSnapshot> list = new ArrayList<>(order.size());
        for (HostPort b : order) {
            Tracked t = tracked.get(b);
            if (t != null) {
                list.add(new BackendHealthSnapshot(b, t.healthy, t.activeHealthy, t.ejected, t.flips, t.ejections,
                        t.probes, t.probeFailures, t.lastCause));
            }
        }
        snapshot = new ClusterHealthSnapshot(cluster, list, outliers == null ? 0 : outliers.overflows());
    }

    private static String word(boolean healthy) {
        return healthy ? "healthy" : "unhealthy";
    }

    /** One backend's combined state and counters. Confined to the loop. */
    private static final class Tracked {
        final HostPort backend;
        boolean activeHealthy;
        boolean ejected;
        boolean healthy;
        String cause;
        String lastCause = "";
        long flips;
        long ejections;
        long probes;
        long probeFailures;

        Tracked(HostPort backend, boolean activeHealthy) {
            this.backend = backend;
            this.activeHealthy = activeHealthy;
            this.healthy = activeHealthy;
            this.cause = activeHealthy ? "no failures seen" : "awaiting the first health check";
        }
    }
}
