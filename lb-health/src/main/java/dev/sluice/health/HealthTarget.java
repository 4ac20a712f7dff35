package dev.sluice.health;

import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.config.HostPort;

/**
 * What {@link ClusterHealth} needs from a cluster: its current backends, and a way to hand over readiness
 * verdicts. Implemented by lb-core's per-cluster control object, which publishes a new {@link BackendSet}
 * version for every change (and decides panic mode with {@link PanicMode} while building it).
 *
 * <p>Threading: both methods are called on the health loop ({@link ProbeTransport#loop()}), never on a
 * data-plane loop by this module. They must not block; heavy work (a Maglev table) may run inline only when
 * the health loop is dedicated, else it belongs on the control object's own executor.
 */
public interface HealthTarget {

    /**
     * The latest published backend set. Read every poll; a new {@link BackendSet#version()} makes the health
     * module pick up added and removed backends.
     */
    BackendSet currentBackends();

    /**
     * Marks {@code backend} healthy or not. Called once per readiness flip, and again whenever the current set
     * disagrees with the verdict (a newly seen backend, or a set rebuilt without the last verdict), so it must
     * be idempotent. Calls for an address no longer in the set are to be ignored.
     *
     * <p>Failure: an exception is logged and does not stop health checking; the verdict is re-sent after the
     * next set version if the set still disagrees.
     *
     * @param cause a short sentence saying why, e.g. {@code "HTTP 503"} or {@code "5 consecutive failures;
     *              ejected for 30s"}, for the admin API
     */
    void setHealthy(HostPort backend, boolean healthy, String cause);
}
