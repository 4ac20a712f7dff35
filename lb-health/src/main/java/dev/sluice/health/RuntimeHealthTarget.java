package dev.sluice.health;

import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * A {@link ClusterRuntime} as the {@link HealthTarget} of its {@link ClusterHealth}.
 *
 * <p>Threading: both methods are called on the health loop. {@link #currentBackends()} is one volatile read.
 * {@link #setHealthy} hands the verdict to {@code publisher}, a control thread, because a
 * {@code ClusterRuntime} mutation takes the runtime's monitor and may build a Maglev table: neither belongs on
 * an event loop, not even the health loop (it would delay every other cluster's probes). The publisher runs
 * verdicts one at a time in the order given, so the last verdict sent is the one that stays.
 *
 * <p>Failure: a verdict the runtime cannot apply is logged on the publisher thread; {@link ClusterHealth}
 * re-sends a verdict whenever a later backend set disagrees with it. A publisher that was shut down rejects
 * the hand-over with {@link java.util.concurrent.RejectedExecutionException}, which {@link ClusterHealth} logs.
 */
final class RuntimeHealthTarget implements HealthTarget {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeHealthTarget.class);

    private final ClusterRuntime runtime;
    private final Executor publisher;

    RuntimeHealthTarget(ClusterRuntime runtime, Executor publisher) {
        this.runtime = runtime;
        this.publisher = publisher;
    }

    @Override
    public BackendSet currentBackends() {
        return runtime.snapshot().backends();
    }

    @Override
    public void setHealthy(HostPort backend, boolean healthy, String cause) {
        publisher.execute(() -> apply(backend, healthy, cause));
    }

    private void apply(HostPort backend, boolean healthy, String cause) {
        try {
            runtime.setHealthy(backend, healthy, cause); // ignores addresses that left the cluster
        } catch (RuntimeException e) {
            LOG.error("cluster {}: could not publish backend {} as {}; the next backend set re-sends it",
                    runtime.name(), backend, healthy ? "healthy" : "unhealthy", e);
        }
    }
}
