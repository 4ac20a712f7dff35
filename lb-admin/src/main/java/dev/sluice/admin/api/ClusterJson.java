package dev.sluice.admin.api;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.cluster.ClusterRuntime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a cluster: {@code {"name","balancer","hash_key","panic","backends":[{"address","weight",
 * "state","healthy","active_requests"}]}}. {@code hash_key} appears for maglev clusters only. Any control thread.
 */
final class ClusterJson {

    private ClusterJson() {
    }

    static Map<String, Object> of(ClusterRuntime cluster) {
        ClusterConfig config = cluster.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cluster.name());
        m.put("balancer", config.balancer());
        if ("maglev".equals(config.balancer())) {
            m.put("hash_key", config.hashKey());
        }
        m.put("panic", cluster.inPanic());
        List<Object> backends = new ArrayList<>();
        for (BackendConfig b : config.backends()) {
            backends.add(backend(cluster, b));
        }
        m.put("backends", backends);
        return m;
    }

    static Map<String, Object> backend(ClusterRuntime cluster, BackendConfig b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", b.address().toString());
        m.put("weight", b.weight());
        m.put("state", b.state().wireName());
        m.put("healthy", cluster.isHealthy(b.address()));
        m.put("active_requests", cluster.activeRequests(b.address()));
        return m;
    }
}
