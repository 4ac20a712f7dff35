package dev.sluice.core.balancer;

/**
 * Chooses a backend for a request. One instance per event loop per {@link BackendSet} version: confined to
 * its loop, so it keeps state without locks or atomics.
 *
 * <p>Contract: {@link #pick} must not block, lock, allocate in steady state or throw; it returns an index of
 * a backend with {@link BackendSet#isReady} true, or {@link #NO_BACKEND} when none is ready. A retry passes
 * {@code attempt > 0} and should get a different ready backend while one exists.
 */
public interface Picker {

    /** Returned by {@link #pick} when no backend is ready. */
    int NO_BACKEND = -1;

    int pick(PickContext ctx, int attempt);

    /** A request was sent to backend {@code index}. Load-aware pickers count it. */
    default void onRequestStart(int index) {
    }

    /**
     * A request to backend {@code index} ended.
     *
     * @param latencyNanos from request start to the response head (or to the failure)
     * @param failed       connect failure, reset, timeout or a 5xx
     */
    default void onRequestEnd(int index, long latencyNanos, boolean failed) {
    }
}
