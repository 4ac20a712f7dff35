package dev.sluice.admin.api;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.proxy.ListenerRuntime;
import dev.sluice.core.proxy.ProxyServer;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.stats.TrafficStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/stats}: {@code {"listeners":[S],"clusters":[S]}} where S is {@code {"name","requests",
 * "responses":{"1xx".."5xx"},"local_replies","latency_ms":{"p50","p90","p99","p99.9"}}}, latencies from the
 * per-loop histograms merged at the time of the call. Admin worker thread.
 */
final class StatsJson {

    private StatsJson() {
    }

    static Map<String, Object> of(ProxyServer server) {
        List<Object> listeners = new ArrayList<>();
        for (ListenerRuntime l : server.listeners()) {
            listeners.add(entry(l.stats().snapshot()));
        }
        List<Object> clusters = new ArrayList<>();
        for (ClusterRuntime c : server.clusters()) {
            clusters.add(entry(c.stats().snapshot()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listeners", listeners);
        m.put("clusters", clusters);
        return m;
    }

    private static Map<String, Object> entry(TrafficStats.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("requests", s.get(Counter.REQUESTS));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("1xx", s.get(Counter.RESPONSES_1XX));
        responses.put("2xx", s.get(Counter.RESPONSES_2XX));
        responses.put("3xx", s.get(Counter.RESPONSES_3XX));
        responses.put("4xx", s.get(Counter.RESPONSES_4XX));
        responses.put("5xx", s.get(Counter.RESPONSES_5XX));
        m.put("responses", responses);
        m.put("local_replies", s.get(Counter.LOCAL_REPLIES));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", millis(s, 50));
        latency.put("p90", millis(s, 90));
        latency.put("p99", millis(s, 99));
        latency.put("p99.9", millis(s, 99.9));
        m.put("latency_ms", latency);
        return m;
    }

    private static double millis(TrafficStats.Snapshot s, double percentile) {
        return s.latencyPercentileMicros(percentile) / 1000.0;
    }
}
