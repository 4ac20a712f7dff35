package dev.sluice.health;

/**
 * The active-check verdict of one backend, from consecutive probe results: a healthy backend turns unhealthy
 * after {@code fall} failures in a row, an unhealthy one turns healthy after {@code rise} successes in a row.
 *
 * <p>A new backend starts unhealthy and <em>unproven</em>: if its very first probe succeeds it turns healthy at
 * once (waiting for {@code rise} successes would keep every backend out of rotation for several intervals at
 * start-up and after every scale-out); if the first probe fails it is proven unhealthy and needs {@code rise}
 * successes like any other unhealthy backend.
 *
 * <p>Not thread-safe: confined to the thread that records results (the health loop). Time plays no part in
 * the verdict, so no clock is needed.
 */
final class RiseFallTracker {

    private final int rise;
    private final int fall;
    private boolean healthy;
    private boolean proven;
    private int streak;

    /** Rise and fall below 1 are taken as 1. */
    RiseFallTracker(int rise, int fall) {
        this.rise = Math.max(1, rise);
        this.fall = Math.max(1, fall);
    }

    /**
     * Records one probe result.
     *
     * @return whether the verdict flipped with this result
     */
    boolean record(boolean success) {
        if (!proven) {
            proven = true;
            if (success) {
                healthy = true;
                return true;
            }
            streak = 0;
            return false;
        }
        if (success == healthy) {
            streak = 0; // a result that agrees with the verdict breaks the opposite run
            return false;
        }
        streak++;
        if (streak >= (healthy ? fall : rise)) {
            healthy = !healthy;
            streak = 0;
            return true;
        }
        return false;
    }

    boolean isHealthy() {
        return healthy;
    }

    /** Whether at least one result was recorded. */
    boolean isProven() {
        return proven;
    }

    /** Results in a row that disagree with the current verdict. */
    int streak() {
        return streak;
    }
}
