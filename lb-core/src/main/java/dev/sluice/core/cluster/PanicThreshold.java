package dev.sluice.core.cluster;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.BackendState;

import java.util.List;

/**
 * Decides whether a cluster is in panic mode, and counts how often it entered it: a cluster is in panic when
 * fewer than {@link #DEFAULT_PERCENT} percent of its {@link BackendState#ACTIVE} backends are healthy. Sending
 * everything to the few healthy backends would overload them too, so {@link ClusterRuntime} then builds the
 * set with {@link dev.sluice.core.balancer.BackendSet#ofPanic} and traffic spreads over every active backend,
 * healthy or not (Envoy's healthy panic threshold). Draining and disabled backends are out of rotation by
 * choice and count neither way; a cluster without active backends is never in panic; 0 percent turns panic off.
 *
 * <p>The rule mirrors the health module's {@code PanicMode}; it lives here because lb-core builds the sets
 * and must not depend on the health module.
 *
 * <p>Threading: {@link #evaluate} is called by the one thread that builds a set (under the
 * {@link ClusterRuntime} monitor); the readers run on any thread and see the last decision through volatile
 * fields. No allocation.
 */
final class PanicThreshold {

    /** Panic below half of the active backends healthy, as Envoy's default. */
    static final int DEFAULT_PERCENT = 50;

    private final int percent;
    private volatile boolean inPanic;
    private volatile long entered;

    /** @throws IllegalArgumentException when {@code percent} is outside 0..100 */
    PanicThreshold(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("panic threshold must be 0..100 percent, got " + percent);
        }
        this.percent = percent;
    }

    /** Whether {@code backends} are in panic at {@code percent}: healthy / active &lt; percent / 100. Pure. */
    static boolean isPanic(List<Backend> backends, int percent) {
        int active = 0;
        int healthy = 0;
        for (Backend b : backends) {
            if (b.state() == BackendState.ACTIVE) {
                active++;
                if (b.healthy()) {
                    healthy++;
                }
            }
        }
        return active > 0 && healthy * 100L < (long) percent * active;
    }

    /**
     * Decides panic for the set about to be built and remembers it; entering panic is counted once.
     * Called by one thread at a time (the cluster's monitor holder).
     */
    boolean evaluate(List<Backend> backends) {
        boolean panic = isPanic(backends, percent);
        if (panic && !inPanic) {
            entered = entered + 1; // single writer: the monitor holder
        }
        inPanic = panic;
        return panic;
    }

    boolean inPanic() {
        return inPanic;
    }

    long entered() {
        return entered;
    }

    int percent() {
        return percent;
    }
}
