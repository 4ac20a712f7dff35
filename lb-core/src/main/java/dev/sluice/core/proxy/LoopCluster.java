package dev.sluice.core.proxy;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.balancer.Picker;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.cluster.ClusterSnapshot;
import dev.sluice.core.stats.TrafficCounters;
import io.netty.channel.EventLoop;

import java.util.HashMap;
import java.util.Map;

/**
 * One cluster as one event loop sees it: the picker for the current backend-set version, the pools of
 * upstream connections by backend, the loop's counters for the cluster, and its per-loop shares of the
 * cluster's resilience limits: the {@link RetryBudget}, the {@link ClusterGate} (circuit breaking) and the
 * compiled {@link RetryPolicy}.
 *
 * <p>Confined to its loop. {@link #refresh()} compares the published snapshot's version with the one in
 * use (one volatile read per request) and rebuilds the picker and the index-to-pool table only when it
 * changed. Pools outlive versions: they are keyed by backend address, so a re-weighted backend keeps its
 * warm connections.
 */
final class LoopCluster {

    private final ClusterRuntime runtime;
    private final EventLoop loop;
    private final TrafficCounters counters;
    private final int loops;
    private final Map<String, UpstreamPool> poolsByAddress = new HashMap<>();
    private final RetryBudget budget = new RetryBudget();
    private final ClusterGate gate = new ClusterGate();
    private ClusterSnapshot snapshot;
    private Picker picker;
    private UpstreamPool[] pools;
    private RetryPolicy retryPolicy = RetryPolicy.OFF;

    /** @param loops how many loops serve traffic: each enforces its share of the cluster's limits */
    LoopCluster(ClusterRuntime runtime, EventLoop loop, int loops) {
        this.runtime = runtime;
        this.loop = loop;
        this.loops = loops;
        this.counters = runtime.stats().newLoopCounters();
    }

    ClusterRuntime runtime() {
        return runtime;
    }

    TrafficCounters counters() {
        return counters;
    }

    /** Brings this loop's view up to the published snapshot; returns it. */
    ClusterSnapshot refresh() {
        ClusterSnapshot current = runtime.snapshot();
        if (current != snapshot) {
            rebuild(current);
        }
        return current;
    }

    Picker picker() {
        return picker;
    }

    UpstreamPool pool(int backendIndex) {
        return pools[backendIndex];
    }

    /** Backends in the current version (ready or not). */
    int backendCount() {
        return pools.length;
    }

    /** The retry policy of the snapshot last returned by {@link #refresh()}. */
    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    RetryBudget budget() {
        return budget;
    }

    ClusterGate gate() {
        return gate;
    }

    private void rebuild(ClusterSnapshot next) {
        BackendSet set = next.backends();
        UpstreamPool[] newPools = new UpstreamPool[set.size()];
        Map<String, UpstreamPool> kept = new HashMap<>();
        for (int i = 0; i < set.size(); i++) {
            Backend b = set.get(i);
            String key = b.address().toString();
            UpstreamPool pool = poolsByAddress.remove(key);
            if (pool == null) {
                pool = new UpstreamPool(b, runtime.newBackendCounters(b.address()), gate);
            } else {
                pool.update(b);
            }
            newPools[i] = pool;
            kept.put(key, pool);
        }
        for (UpstreamPool gone : poolsByAddress.values()) {
            gone.retire();
        }
        poolsByAddress.clear();
        poolsByAddress.putAll(kept);
        pools = newPools;
        picker = next.newPicker(loop);
        if (snapshot == null || snapshot.config().retries() != next.config().retries()) {
            retryPolicy = RetryPolicy.of(next.config().retries());
        }
        gate.configure(next.config().limits(), loops);
        snapshot = next;
    }

    /** Closes connections idle longer than the cluster's idle timeout. */
    void closeIdle(long nowNanos) {
        if (snapshot == null) {
            return;
        }
        long idleNanos = snapshot.config().timeouts().idle().toNanos();
        for (UpstreamPool pool : poolsByAddress.values()) {
            pool.closeIdleOlderThan(nowNanos, idleNanos);
        }
    }

    /** The cluster left the config: close everything idle, and busy connections when they come back. */
    void retire() {
        for (UpstreamPool pool : poolsByAddress.values()) {
            pool.retire();
        }
    }
}
