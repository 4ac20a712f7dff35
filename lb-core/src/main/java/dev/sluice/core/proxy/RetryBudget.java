package dev.sluice.core.proxy;

/**
 * Caps retries so that a failing cluster is not hit by a retry storm: retries may add at most
 * {@code budget_percent} to the requests a loop sends to a cluster, and {@link #MIN_CONCURRENT_RETRIES} retries
 * in flight are always allowed so that a lightly loaded cluster can still retry (Envoy's
 * {@code min_retry_concurrency}).
 *
 * <p>The share is kept as credit, like a token bucket filled by traffic: every request deposits
 * {@code budget_percent} hundredths of a retry, every retry beyond the always-allowed ones spends a whole one,
 * and the credit never exceeds what {@link #BURST_REQUESTS} requests deposit. So when a backend dies under load
 * and all its in-flight requests fail at the same instant, the credit saved by earlier traffic retries them
 * all; when every attempt keeps failing, retries settle at {@code budget_percent} of the requests (plus the
 * floor) instead of multiplying the load. A budget of the share of <em>active</em> requests could not tell
 * those two apart: it refuses the burst that a single death causes.
 *
 * <p>Per loop, not global: each event loop keeps its own budget for each cluster and counts only its own
 * requests, so the accounting is a few plain int updates with no shared writes, no atomics and no allocation.
 * The cluster-wide effect is the sum over loops: at most {@code budget_percent} of all requests, plus a burst
 * of {@code budget_percent} of {@link #BURST_REQUESTS} and the floor ({@code MIN_CONCURRENT_RETRIES}) on every
 * loop.
 *
 * <p>A request counts as <em>in retry</em> from its first retry until it ends, however many attempts it
 * makes; each further attempt is checked against the budget again.
 *
 * <p>Confined to its loop (owned by a {@link LoopCluster}).
 */
final class RetryBudget {

    /** Retries always allowed in flight per loop and cluster, whatever the credit (Envoy's default is 3). */
    static final int MIN_CONCURRENT_RETRIES = 3;
    /** The credit cap, in requests' worth of deposits: at 20 %, a burst of 200 retries per loop. */
    static final int BURST_REQUESTS = 1000;
    /** One retry, in the credit's unit (hundredths of a retry, so a percent is a deposit). */
    private static final int RETRY = 100;

    private int retrying;
    /** Saved retries in hundredths; never above {@code budgetPercent × BURST_REQUESTS}. */
    private int credit;

    /** A request entered the cluster on this loop: it deposits its share of a retry. */
    void requestStarted(int budgetPercent) {
        credit = Math.min(credit + budgetPercent, budgetPercent * BURST_REQUESTS);
    }

    /** A request of the cluster on this loop ended; {@code wasRetrying} when it had taken a retry. */
    void requestEnded(boolean wasRetrying) {
        if (wasRetrying) {
            retrying--;
        }
    }

    /**
     * Asks to retry a request. Allowed while fewer than {@link #MIN_CONCURRENT_RETRIES} other requests are in
     * retry, or when the saved credit pays for one retry (it is then spent). A request not yet in retry joins
     * the retries in flight when allowed.
     *
     * @param alreadyRetrying whether the request is in retry already (it then counts in the figures)
     * @return whether the retry may go ahead; {@code false} means the budget is exhausted
     */
    boolean tryRetry(boolean alreadyRetrying) {
        int others = alreadyRetrying ? retrying - 1 : retrying;
        if (others >= MIN_CONCURRENT_RETRIES) {
            if (credit < RETRY) {
                return false;
            }
            credit -= RETRY;
        }
        if (!alreadyRetrying) {
            retrying++;
        }
        return true;
    }

    int retrying() {
        return retrying;
    }

    /** Whole retries the saved credit pays for now. */
    int creditedRetries() {
        return credit / RETRY;
    }
}
