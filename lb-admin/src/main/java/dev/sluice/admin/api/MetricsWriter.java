package dev.sluice.admin.api;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.core.proxy.ListenerRuntime;
import dev.sluice.core.proxy.ProxyServer;
import dev.sluice.core.stats.BackendCounters;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.stats.TrafficStats;
import dev.sluice.health.BackendHealthSnapshot;
import dev.sluice.health.ClusterHealthSnapshot;
import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics}: the Prometheus text exposition format 0.0.4. Each family is written once, with HELP and
 * TYPE, and all its samples together; label values are escaped. Latency histograms come from each listener's
 * and cluster's merged HdrHistogram, with fixed buckets in seconds. Per-backend traffic sums the backend's
 * per-loop counters; health families come from the health supervisor's published snapshots and list only
 * clusters it supervises. Admin worker thread; allocation here is fine (off the data plane), and nothing
 * here waits for an event loop.
 */
final class MetricsWriter {

    /** Bucket upper bounds in seconds, from 1 ms to 10 s. */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Counter[] CLASS_COUNTERS = {Counter.RESPONSES_1XX, Counter.RESPONSES_2XX, Counter.RESPONSES_3XX,
            Counter.RESPONSES_4XX, Counter.RESPONSES_5XX};

    private MetricsWriter() {
    }

    /**
     * @param server the data plane
     * @param health the latest health of every supervised cluster (see
     *               {@link dev.sluice.health.HealthSupervisor#snapshot()})
     */
    static String write(ProxyServer server, Map<String, ClusterHealthSnapshot> health) {
        StringBuilder out = new StringBuilder(8192);
        List<TrafficStats.Snapshot> listeners = new ArrayList<>();
        for (ListenerRuntime l : server.listeners()) {
            listeners.add(l.stats().snapshot());
        }
        List<TrafficStats.Snapshot> clusters = new ArrayList<>();
        for (ClusterRuntime c : server.clusters()) {
            clusters.add(c.stats().snapshot());
        }
        traffic(out, "listener", listeners);
        gauge(out, "sluice_listener_connections_active", "Open client connections.", "listener", listeners, Counter.CONNECTIONS_ACTIVE);
        counter(out, "sluice_listener_connections_refused_total", "Client connections refused by connection limits.", "listener",
                listeners, Counter.CONNECTIONS_REFUSED);
        traffic(out, "cluster", clusters);
        counter(out, "sluice_cluster_upstream_connects_total", "Upstream connections opened.", "cluster", clusters, Counter.UPSTREAM_CONNECTS);
        counter(out, "sluice_cluster_upstream_connect_failures_total", "Upstream connection attempts that failed.", "cluster", clusters,
                Counter.UPSTREAM_CONNECT_FAILURES);
        counter(out, "sluice_cluster_upstream_reuses_total", "Requests sent on a reused upstream connection.", "cluster", clusters,
                Counter.UPSTREAM_REUSES);
        counter(out, "sluice_cluster_retries_total", "Requests sent again to another attempt.", "cluster", clusters, Counter.RETRIES);
        counter(out, "sluice_cluster_overloaded_total", "Requests refused with 503 by backend connection or pending limits.", "cluster",
                clusters, Counter.OVERLOADED);
        backends(out, server);
        backendTraffic(out, server);
        health(out, health);
        process(out, server);
        for (HttpFilterFactory f : server.filterFactories()) {
            f.writeMetrics(out);
        }
        return out.toString();
    }

    private static void traffic(StringBuilder out, String scope, List<TrafficStats.Snapshot> all) {
        String prefix = "sluice_" + scope + "_";
        counter(out, prefix + "requests_total", "Requests received.", scope, all, Counter.REQUESTS);
        family(out, prefix + "responses_total", "Responses sent, by status class.", "counter");
        for (TrafficStats.Snapshot s : all) {
            for (int i = 0; i < CLASSES.length; i++) {
                sample(out, prefix + "responses_total", "{" + scope + "=\"" + esc(s.name()) + "\",class=\"" + CLASSES[i] + "\"}",
                        s.get(CLASS_COUNTERS[i]));
            }
        }
        String h = prefix + "request_duration_seconds";
        family(out, h, "Request latency from request head to response end.", "histogram");
        for (TrafficStats.Snapshot s : all) {
            Histogram hist = s.latencyMicros();
            String label = scope + "=\"" + esc(s.name()) + "\"";
            for (double bound : BUCKETS) {
                long count = hist.getTotalCount() == 0 ? 0 : hist.getCountBetweenValues(0, (long) (bound * 1_000_000));
                sample(out, h + "_bucket", "{" + label + ",le=\"" + bound + "\"}", count);
            }
            sample(out, h + "_bucket", "{" + label + ",le=\"+Inf\"}", hist.getTotalCount());
            double sumSeconds = hist.getTotalCount() == 0 ? 0 : hist.getMean() * hist.getTotalCount() / 1_000_000.0;
            sample(out, h + "_sum", "{" + label + "}", sumSeconds);
            sample(out, h + "_count", "{" + label + "}", hist.getTotalCount());
        }
    }

    private static void backends(StringBuilder out, ProxyServer server) {
        family(out, "sluice_backend_healthy", "Whether the backend passes health checks (1) or not (0).", "gauge");
        forEachBackend(server, (c, b) -> sample(out, "sluice_backend_healthy", backendLabels(c, b), c.isHealthy(b.address()) ? 1 : 0));
        family(out, "sluice_backend_active_requests", "Requests in flight to the backend.", "gauge");
        forEachBackend(server, (c, b) -> sample(out, "sluice_backend_active_requests", backendLabels(c, b), c.activeRequests(b.address())));
        family(out, "sluice_cluster_panic", "Whether the cluster balances in panic mode (1) or not (0).", "gauge");
        for (ClusterRuntime c : server.clusters()) {
            sample(out, "sluice_cluster_panic", "{cluster=\"" + esc(c.name()) + "\"}", c.inPanic() ? 1 : 0);
        }
        family(out, "sluice_cluster_panics_total", "Times the cluster entered panic mode.", "counter");
        for (ClusterRuntime c : server.clusters()) {
            sample(out, "sluice_cluster_panics_total", "{cluster=\"" + esc(c.name()) + "\"}", c.panicsEntered());
        }
    }

    private static void backendTraffic(StringBuilder out, ProxyServer server) {
        backendCounter(out, server, "sluice_backend_requests_total", "Requests sent to the backend.", BackendCounters::requests);
        backendCounter(out, server, "sluice_backend_failures_total",
                "Requests to the backend that failed (connect failure, reset, timeout or 5xx).", BackendCounters::failures);
        backendCounter(out, server, "sluice_backend_reuses_total", "Requests sent on a reused connection to the backend.",
                BackendCounters::reuses);
        family(out, "sluice_backend_connections_open", "Open upstream connections to the backend, over all loops.", "gauge");
        forEachBackend(server, (c, b) -> sample(out, "sluice_backend_connections_open", backendLabels(c, b),
                sum(c, b, BackendCounters::openConnections)));
    }

    private static void backendCounter(StringBuilder out, ProxyServer server, String name, String help,
                                       ToLongFunction<BackendCounters> value) {
        family(out, name, help, "counter");
        forEachBackend(server, (c, b) -> sample(out, name, backendLabels(c, b), sum(c, b, value)));
    }

    private static long sum(ClusterRuntime c, BackendConfig b, ToLongFunction<BackendCounters> value) {
        long total = 0;
        for (BackendCounters counters : c.backendCounters(b.address())) {
            total += value.applyAsLong(counters);
        }
        return total;
    }

    private static void health(StringBuilder out, Map<String, ClusterHealthSnapshot> health) {
        healthFamily(out, health, "sluice_backend_ejected", "Whether outlier detection has the backend out of rotation (1) or not (0).",
                "gauge", b -> b.ejected() ? 1 : 0);
        healthFamily(out, health, "sluice_backend_ejections_total", "Times outlier detection ejected the backend.", "counter",
                BackendHealthSnapshot::ejections);
        healthFamily(out, health, "sluice_backend_health_flips_total", "Times the backend's readiness verdict changed.", "counter",
                BackendHealthSnapshot::flips);
        healthFamily(out, health, "sluice_backend_probes_total", "Active health probes completed.", "counter",
                BackendHealthSnapshot::probes);
        healthFamily(out, health, "sluice_backend_probe_failures_total", "Active health probes that failed.", "counter",
                BackendHealthSnapshot::probeFailures);
        family(out, "sluice_cluster_ejections_refused_total", "Ejections refused because max_ejection_percent was reached.", "counter");
        for (ClusterHealthSnapshot c : health.values()) {
            sample(out, "sluice_cluster_ejections_refused_total", "{cluster=\"" + esc(c.cluster()) + "\"}", c.ejectionsRefused());
        }
    }

    private static void healthFamily(StringBuilder out, Map<String, ClusterHealthSnapshot> health, String name, String help,
                                     String type, ToLongFunction<BackendHealthSnapshot> value) {
        family(out, name, help, type);
        for (ClusterHealthSnapshot c : health.values()) {
            for (BackendHealthSnapshot b : c.backends()) {
                sample(out, name, "{cluster=\"" + esc(c.cluster()) + "\",backend=\"" + esc(b.backend().toString()) + "\"}",
                        value.applyAsLong(b));
            }
        }
    }

    private static void forEachBackend(ProxyServer server, BiConsumer<ClusterRuntime, BackendConfig> action) {
        for (ClusterRuntime c : server.clusters()) {
            for (BackendConfig b : c.config().backends()) {
                action.accept(c, b);
            }
        }
    }

    private static String backendLabels(ClusterRuntime c, BackendConfig b) {
        return "{cluster=\"" + esc(c.name()) + "\",backend=\"" + esc(b.address().toString()) + "\"}";
    }

    private static void process(StringBuilder out, ProxyServer server) {
        family(out, "sluice_info", "Sluice's transport and event loop count.", "gauge");
        sample(out, "sluice_info", "{transport=\"" + esc(server.transport().configName()) + "\",loops=\"" + server.loopCount() + "\"}", 1);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        family(out, "jvm_memory_heap_used_bytes", "JVM heap in use.", "gauge");
        sample(out, "jvm_memory_heap_used_bytes", "", heap.getUsed());
        family(out, "jvm_memory_heap_committed_bytes", "JVM heap committed.", "gauge");
        sample(out, "jvm_memory_heap_committed_bytes", "", heap.getCommitted());
        family(out, "jvm_gc_collection_seconds_total", "Time spent in garbage collection, by collector.", "counter");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sample(out, "jvm_gc_collection_seconds_total", "{gc=\"" + esc(gc.getName()) + "\"}", Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
    }

    private static void counter(StringBuilder out, String name, String help, String scope, List<TrafficStats.Snapshot> all, Counter c) {
        family(out, name, help, "counter");
        for (TrafficStats.Snapshot s : all) {
            sample(out, name, "{" + scope + "=\"" + esc(s.name()) + "\"}", s.get(c));
        }
    }

    private static void gauge(StringBuilder out, String name, String help, String scope, List<TrafficStats.Snapshot> all, Counter c) {
        family(out, name, help, "gauge");
        for (TrafficStats.Snapshot s : all) {
            sample(out, name, "{" + scope + "=\"" + esc(s.name()) + "\"}", s.get(c));
        }
    }

    private static void family(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** Label value escaping of the text format: backslash, double quote and newline. */
    static String esc(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
