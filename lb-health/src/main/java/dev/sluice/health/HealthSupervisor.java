package dev.sluice.health;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.OutlierConfig;
import dev.sluice.core.proxy.ProxyServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Wires health into a running {@link ProxyServer}: one {@link ClusterHealth} for every cluster with a
 * {@code health_check} or {@code outlier_detection}, all on one dedicated single-thread event loop of the
 * server's transport, each fed by the data plane's per-loop counters ({@link LoopFailureSource}) and publishing
 * its verdicts into the cluster's {@link ClusterRuntime} ({@link RuntimeHealthTarget}).
 *
 * <p>Use: {@link #start} right after {@code ProxyServer.start}; {@link #reconcile()} after every
 * {@code ProxyServer.apply} (reload, admin change of a cluster set); {@link #snapshot()} for the admin API and
 * metrics; {@link #close()} before closing the server.
 *
 * <ul>
 *   <li>A cluster with an active check is switched to "unhealthy until proven"
 *       ({@link ClusterRuntime#setInitiallyHealthy}) before its checks start; until the first probes pass it is
 *       in panic mode and served by every active backend (see {@code ClusterRuntime}).</li>
 *   <li>{@link #reconcile()} starts checking new clusters, stops removed ones, and restarts a cluster whose
 *       {@code health_check} or {@code outlier_detection} changed (its backends are then re-proven). A cluster
 *       whose health config was removed gets every backend back as healthy.</li>
 *   <li>Verdicts reach the runtime through one control thread (the publisher) that applies them in order: a
 *       runtime mutation locks and may build a Maglev table, which must not run on an event loop.</li>
 * </ul>
 *
 * <p>Threading: {@link #start}, {@link #reconcile()} and {@link #close()} are control-plane calls (launcher,
 * admin API); they serialise on this object, may wait a bounded time for the health loop, and must never be
 * called on an event loop. {@link #snapshot()} may be called from any thread and never blocks.
 */
public final class HealthSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthSupervisor.class);
    /** How long a control call waits for the health loop or the publisher to finish stopping work. */
    private static final long STOP_WAIT_SECONDS = 5;

    private final ProxyServer server;
    private final EventLoopGroup group;
    private final ProbeTransport transport;
    private final ExecutorService publisher;
    private final Map<String, Supervised> supervised = new LinkedHashMap<>();
    private volatile Map<String, ClusterHealth> published = Map.of();
    private boolean closed;

    private HealthSupervisor(ProxyServer server) {
        this.server = Objects.requireNonNull(server, "server");
        this.group = server.transport().newEventLoopGroup(1, new DefaultThreadFactory("sluice-health", true));
        EventLoop loop = (EventLoop) group.next();
        this.transport = ProbeTransport.of(loop, server.transport().socketChannelClass());
        this.publisher = Executors.newSingleThreadExecutor(new DefaultThreadFactory("sluice-health-publish", true));
    }

    /**
     * Starts health checking for every cluster of {@code server} that has a health check or outlier detection.
     *
     * @throws IllegalStateException when a cluster's health config cannot be used (config validation should
     *                               have refused it); nothing is left running then
     */
    public static HealthSupervisor start(ProxyServer server) {
        HealthSupervisor supervisor = new HealthSupervisor(server);
        try {
            supervisor.reconcile();
        } catch (RuntimeException e) {
            supervisor.close();
            throw e;
        }
        return supervisor;
    }

    /**
     * Brings health checking in line with the server's current clusters: starts it for new clusters (or
     * clusters that gained a health config), stops it for removed ones, restarts it where the config changed.
     * Clusters whose config is unchanged keep their state (ejections, rise/fall counts).
     *
     * @throws IllegalStateException when closed, or naming every cluster whose health config could not be used
     *                               (all other clusters are reconciled regardless)
     */
    public synchronized void reconcile() {
        if (closed) {
            throw new IllegalStateException("health supervisor is closed");
        }
        Map<String, ClusterRuntime> live = new LinkedHashMap<>();
        for (ClusterRuntime runtime : server.clusters()) {
            live.put(runtime.name(), runtime);
        }
        for (var it = supervised.values().iterator(); it.hasNext(); ) {
            Supervised s = it.next();
            ClusterRuntime now = live.get(s.runtime.name());
            boolean sameRuntime = now == s.runtime;
            if (sameRuntime && s.matches(now.config())) {
                continue;
            }
            it.remove();
            stop(s, sameRuntime ? now.config() : null);
        }
        List<String> failed = new ArrayList<>();
        for (ClusterRuntime runtime : live.values()) {
            ClusterConfig config = runtime.config();
            if (wantsHealth(config) && !supervised.containsKey(runtime.name())) {
                try {
                    supervised.put(runtime.name(), begin(runtime, config));
                } catch (IllegalArgumentException e) {
                    LOG.error("cluster {}: health checking not started: {}", runtime.name(), e.getMessage());
                    failed.add(runtime.name() + ": " + e.getMessage());
                }
            }
        }
        publish();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("health checking could not start for " + String.join("; ", failed));
        }
    }

    /**
     * The latest health of every supervised cluster, by cluster name in config order. Any thread; never
     * blocks. Clusters without a health check or outlier detection are absent.
     */
    public Map<String, ClusterHealthSnapshot> snapshot() {
        Map<String, ClusterHealthSnapshot> out = new LinkedHashMap<>();
        for (Map.Entry<String, ClusterHealth> e : published.entrySet()) {
            out.put(e.getKey(), e.getValue().snapshot());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The latest health of {@code cluster}, or {@code null} when it is not supervised. Any thread. */
    public ClusterHealthSnapshot snapshot(String cluster) {
        ClusterHealth health = published.get(cluster);
        return health == null ? null : health.snapshot();
    }

    /**
     * Stops every check, then the health loop and the publisher. Verdicts already published stay in the
     * clusters. Idempotent; waits at most a few seconds.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Future<Void>> stopping = new ArrayList<>();
        for (Supervised s : supervised.values()) {
            stopping.add(s.health.close());
        }
        supervised.clear();
        publish();
        for (Future<Void> f : stopping) {
            awaitQuietly(f);
        }
        publisher.shutdown();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            if (!publisher.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("health verdict publisher did not finish within {}s", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Supervised begin(ClusterRuntime runtime, ClusterConfig config) {
        ClusterHealth health;
        if (config.healthCheck() != null) {
            // Unhealthy until proven: set before the first probe can report, so no verdict is overtaken.
            runtime.setInitiallyHealthy(false);
        }
        try {
            health = ClusterHealth.start(config, new RuntimeHealthTarget(runtime, publisher),
                    new LoopFailureSource(runtime), transport);
        } catch (IllegalArgumentException e) {
            if (config.healthCheck() != null) {
                runtime.setInitiallyHealthy(true);
            }
            throw e;
        }
        LOG.info("cluster {}: health checking started ({}{})", runtime.name(),
                config.healthCheck() != null ? config.healthCheck().type() + " check" : "no active check",
                config.outlierDetection() != null ? ", outlier detection" : "");
        return new Supervised(runtime, config.healthCheck(), config.outlierDetection(), health);
    }

    /**
     * Stops one cluster's checking and waits for it, so no verdict of it is still on its way. When the
     * cluster stays ({@code stays} is its new config, else {@code null}) and loses its active check, new
     * backends start healthy again; when it loses all health config, every backend is published healthy. Both
     * go through the publisher, so they land after the stopped checker's last verdict.
     */
    private void stop(Supervised s, ClusterConfig stays) {
        awaitQuietly(s.health.close());
        LOG.info("cluster {}: health checking stopped", s.runtime.name());
        if (stays == null) {
            return;
        }
        ClusterRuntime runtime = s.runtime;
        boolean allHealthy = !wantsHealth(stays);
        if (allHealthy || (s.check != null && stays.healthCheck() == null)) {
            publisher.execute(() -> restoreHealthy(runtime, allHealthy));
        }
    }

    private static void restoreHealthy(ClusterRuntime runtime, boolean everyBackend) {
        try {
            runtime.setInitiallyHealthy(true);
            if (!everyBackend) {
                return;
            }
            for (BackendConfig b : runtime.config().backends()) {
                runtime.setHealthy(b.address(), true, "health checking turned off");
            }
        } catch (RuntimeException e) {
            LOG.error("cluster {}: could not return its backends to healthy after its health config changed",
                    runtime.name(), e);
        }
    }

    private void publish() {
        Map<String, ClusterHealth> map = new LinkedHashMap<>();
        for (Map.Entry<String, Supervised> e : supervised.entrySet()) {
            map.put(e.getKey(), e.getValue().health);
        }
        published = Collections.unmodifiableMap(map);
    }

    private static boolean wantsHealth(ClusterConfig config) {
        return config.healthCheck() != null || config.outlierDetection() != null;
    }

    private static void awaitQuietly(Future<Void> f) {
        if (!f.awaitUninterruptibly(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("health checks did not stop within {}s", STOP_WAIT_SECONDS);
        }
    }

    /** One supervised cluster: the runtime it was started for, the config it runs with, and the checker. */
    private record Supervised(ClusterRuntime runtime, HealthCheckConfig check, OutlierConfig outliers,
                              ClusterHealth health) {

        boolean matches(ClusterConfig config) {
            return Objects.equals(check, config.healthCheck()) && Objects.equals(outliers, config.outlierDetection());
        }
    }
}
