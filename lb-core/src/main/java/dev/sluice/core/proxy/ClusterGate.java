package dev.sluice.core.proxy;

import dev.sluice.core.config.ClusterLimits;

/**
 * Circuit breaking for one cluster on one event loop: a request that would need a new upstream connection is
 * refused at once (503 {@code overloaded}) when the backend already has its share of
 * {@code max_connections_per_backend} open or opening on this loop, or when the cluster already has its share
 * of {@code max_pending} requests waiting for a connection on this loop. Refusing beats queueing: a queue in
 * front of a saturated backend only adds latency and memory until the client gives up.
 *
 * <p>Scope: each limit is split evenly over the event loops, {@code ceil(limit / loops)} per loop, and every
 * loop enforces its share with plain int counters it alone writes. A global limit would need an atomic
 * read-modify-write shared by all cores on every connect; the per-loop share is lock-free and, with
 * SO_REUSEPORT spreading connections over loops, close to the global figure. The cost: the cluster-wide
 * ceiling can exceed the configured limit by less than one per loop (the rounding up), and one busy loop
 * cannot borrow another's idle share.
 *
 * <p>A pooled idle connection is always used: the limits only gate opening new connections.
 *
 * <p>Confined to its loop (owned by a {@link LoopCluster}); no allocation.
 */
final class ClusterGate {

    private int maxConnectionsPerBackend = Integer.MAX_VALUE;
    private int maxPending = Integer.MAX_VALUE;
    private int pending;

    /** Applies a config version's limits; {@code null} means none. Counters in flight are kept. */
    void configure(ClusterLimits limits, int loops) {
        maxConnectionsPerBackend = limits == null ? Integer.MAX_VALUE : share(limits.maxConnectionsPerBackend(), loops);
        maxPending = limits == null ? Integer.MAX_VALUE : share(limits.maxPending(), loops);
    }

    /**
     * {@code ceil(limit / loops)}: a positive limit gives every loop at least 1; 0 stays 0 (with
     * {@code max_pending: 0} no request may wait for a new connection, only pooled ones serve).
     */
    static int share(int limit, int loops) {
        if (limit < 0) {
            return Integer.MAX_VALUE;
        }
        int n = Math.max(1, loops);
        return (int) (((long) limit + n - 1) / n);
    }

    /** Whether a new connection to {@code pool}'s backend may be opened now. */
    boolean mayConnect(UpstreamPool pool) {
        return pending < maxPending && pool.connections() < maxConnectionsPerBackend;
    }

    /** A request of this cluster started waiting for a new connection. */
    void pendingStarted() {
        pending++;
    }

    /** That wait ended (connected, failed, or abandoned). */
    void pendingEnded() {
        pending--;
    }

    int pending() {
        return pending;
    }

    int maxConnectionsPerBackend() {
        return maxConnectionsPerBackend;
    }

    int maxPending() {
        return maxPending;
    }
}
