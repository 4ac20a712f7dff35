package dev.sluice.core.proxy;

/**
 * Caps retries so that a failing cluster is not hit by a retry storm: a retry may start only while the
 * requests in retry stay within {@code budget_percent} of the cluster's active requests, with a floor of
 * {@link #MIN_CONCURRENT_RETRIES} so that a lightly loaded cluster can still retry (Envoy's retry budget with
 * its {@code min_retry_concurrency}).
 *
 * <p>Per loop, not global: each event loop keeps its own budget for each cluster and counts only its own
 * requests, so the accounting is two plain int updates with no shared writes, no atomics and no allocation.
 * The cluster-wide effect is the sum over loops: at most {@code budget_percent} of all active requests plus the
 * floor on every loop ({@code loops × MIN_CONCURRENT_RETRIES}). Since SO_REUSEPORT spreads connections evenly,
 * the loops' shares track the global figure closely under load.
 *
 * <p>A request counts as <em>in retry</em> from its first retry until it ends, however many attempts it
 * makes; each further attempt is checked against the budget again.
 *
 * <p>Confined to its loop (owned by a {@link LoopCluster}).
 */
final class RetryBudget {

    /** Retries always allowed in flight per loop and cluster, whatever the share (Envoy's default is 3). */
    static final int MIN_CONCURRENT_RETRIES = 3;

    private int active;
    private int retrying;

    /** A request entered the cluster on this loop. */
    void requestStarted() {
        active++;
    }

    /** A request of the cluster on this loop ended; {@code wasRetrying} when it had taken a retry. */
    void requestEnded(boolean wasRetrying) {
        active--;
        if (wasRetrying) {
            retrying--;
        }
    }

    /**
     * Asks to retry a request. A request not yet in retry joins the retries in flight when allowed.
     *
     * @param alreadyRetrying whether the request is in retry already (it then counts in the figures)
     * @return whether the retry may go ahead; {@code false} means the budget is exhausted
     */
    boolean tryRetry(boolean alreadyRetrying, int budgetPercent) {
        int others = alreadyRetrying ? retrying - 1 : retrying;
        if (others >= limit(budgetPercent)) {
            return false;
        }
        if (!alreadyRetrying) {
            retrying++;
        }
        return true;
    }

    /** Retries in flight allowed now: the share of the active requests, but never below the floor. */
    int limit(int budgetPercent) {
        return Math.max(MIN_CONCURRENT_RETRIES, (int) ((long) active * budgetPercent / 100));
    }

    int active() {
        return active;
    }

    int retrying() {
        return retrying;
    }
}
