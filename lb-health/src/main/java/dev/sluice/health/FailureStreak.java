package dev.sluice.health;

import java.util.List;

/**
 * Estimates one backend's consecutive failures across all event loops from the loops' own counters, poll by
 * poll.
 *
 * <p>Each loop counts on its own, so no single counter knows the cluster-wide run of failures. Between two
 * polls the estimate grows as follows:
 * <ul>
 *   <li>no loop saw a success: every request since the last poll failed, so the run grows by the
 *       <em>sum</em> of new failures over all loops (exact; this is what catches a dead backend quickly when
 *       its traffic is spread over many loops);</li>
 *   <li>some loop saw a success: the order of events across loops is unknown, so the run becomes the
 *       <em>largest</em> single-loop run (each loop's run is a real run of failures; summing them could join
 *       runs that a success separated).</li>
 * </ul>
 * A loop's own run continues across polls while that loop sees no success, and restarts from the loop's
 * {@code consecutiveFailures} counter when it did (bounded by the loop's new failures, so stale or torn
 * values never inflate it).
 *
 * <p>{@link #reset()} forgets the run but keeps the last counters, so only failures counted later make a new
 * run: after an ejection, a loop's old {@code consecutiveFailures} (which stays high until that loop next
 * sees a success) cannot eject the backend again.
 *
 * <p>Not thread-safe: confined to the health loop. Allocates only when the number of loops changes.
 */
final class FailureStreak {

    private long[] lastSuccesses = new long[0];
    private long[] lastFailures = new long[0];
    private long[] loopRuns = new long[0];
    private long run;

    /**
     * Takes in one poll of the per-loop counters.
     *
     * @return the estimated consecutive failures after this poll
     */
    long update(List<FailureCounts> loops) {
        int n = loops.size();
        if (n != lastSuccesses.length) {
            // New backend, or the loop count changed: counters start from zero, so count from zero as well.
            lastSuccesses = new long[n];
            lastFailures = new long[n];
            loopRuns = new long[n];
            run = 0;
        }
        boolean anySuccess = false;
        long newFailures = 0;
        long longestLoopRun = 0;
        for (int i = 0; i < n; i++) {
            FailureCounts c = loops.get(i);
            if (c.successes() < lastSuccesses[i] || c.failures() < lastFailures[i]) {
                // The data plane recreated its counters (backend removed and added again): start over.
                lastSuccesses[i] = 0;
                lastFailures[i] = 0;
                loopRuns[i] = 0;
            }
            long dSuccess = c.successes() - lastSuccesses[i];
            long dFailure = c.failures() - lastFailures[i];
            lastSuccesses[i] = c.successes();
            lastFailures[i] = c.failures();
            if (dSuccess > 0) {
                anySuccess = true;
                loopRuns[i] = Math.max(0, Math.min(c.consecutiveFailures(), dFailure));
            } else {
                loopRuns[i] += dFailure;
            }
            newFailures += dFailure;
            longestLoopRun = Math.max(longestLoopRun, loopRuns[i]);
        }
        run = anySuccess ? longestLoopRun : run + newFailures;
        return run;
    }

    /** The estimate after the last {@link #update}. */
    long current() {
        return run;
    }

    /** Forgets the current run; failures already counted will not count again. */
    void reset() {
        run = 0;
        java.util.Arrays.fill(loopRuns, 0);
    }
}
