package dev.sluice.health;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.BackendState;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a cluster is in panic: fewer than {@code threshold} percent of its active backends are
 * healthy. In panic, sending everything to the few healthy backends would overload them too, so the caller
 * builds the set with {@link dev.sluice.core.balancer.BackendSet#ofPanic} and spreads traffic over every active
 * backend, healthy or not.
 *
 * <p>The denominator is the backends whose operator state is {@link BackendState#ACTIVE}: draining and
 * disabled backends are out of rotation by choice, not by failure, and count neither way. A cluster with no
 * active backend is not in panic (there is nothing to spread over). A threshold of 0 turns panic mode off.
 *
 * <p>Thread-safe and lock-free: {@link #evaluate} may be called from whichever thread builds a backend set;
 * the state and counter may be read from any thread.
 */
public final class PanicMode {

    /** Panic below half of the active backends healthy, as Envoy's default. */
    public static final int DEFAULT_THRESHOLD_PERCENT = 50;

    private final int thresholdPercent;
    private final AtomicBoolean inPanic = new AtomicBoolean();
    private final AtomicLong panics = new AtomicLong();

    /** @throws IllegalArgumentException when the threshold is outside 0..100 */
    public PanicMode(int thresholdPercent) {
        if (thresholdPercent < 0 || thresholdPercent > 100) {
            throw new IllegalArgumentException("panic threshold must be 0..100 percent, got " + thresholdPercent);
        }
        this.thresholdPercent = thresholdPercent;
    }

    public PanicMode() {
        this(DEFAULT_THRESHOLD_PERCENT);
    }

    /**
     * Whether {@code backends} would be in panic at {@code thresholdPercent}. Pure; uses each backend's
     * {@code healthy} flag and operator state, whatever readiness a set computed.
     */
    public static boolean isPanic(List<Backend> backends, int thresholdPercent) {
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
        // Integer arithmetic: healthy / active < threshold / 100.
        return active > 0 && healthy * 100L < (long) thresholdPercent * active;
    }

    /**
     * Decides panic for the set about to be built and remembers it; entering panic (from not in panic) is
     * counted once.
     *
     * @return whether to build the set with {@code BackendSet.ofPanic}
     */
    public boolean evaluate(List<Backend> backends) {
        boolean panic = isPanic(backends, thresholdPercent);
        if (inPanic.getAndSet(panic) != panic && panic) {
            panics.incrementAndGet();
        }
        return panic;
    }

    /** The latest decision of {@link #evaluate}. */
    public boolean inPanic() {
        return inPanic.get();
    }

    /** How many times the cluster entered panic. */
    public long panicsEntered() {
        return panics.get();
    }

    public int thresholdPercent() {
        return thresholdPercent;
    }
}
