package dev.sluice.health;

/**
 * One event loop's request outcomes for one backend, as counted by the data plane. Immutable.
 *
 * <p>What counts as a failure is the data plane's call: connect failure, reset, 5xx response, timeout.
 * The three counters only ever grow, except that {@code consecutiveFailures} drops to zero on every success.
 * They may be read slightly out of step with one another (they are written one by one by the loop and read
 * from the health loop); the outlier detector tolerates that.
 *
 * @param successes           requests to the backend that did not fail, since the counters were created
 * @param failures            requests to the backend that failed, since the counters were created
 * @param consecutiveFailures failures on this loop since its last success
 */
public record FailureCounts(long successes, long failures, long consecutiveFailures) {

    public static final FailureCounts ZERO = new FailureCounts(0, 0, 0);

    /** Every request counted, failed or not. */
    public long requests() {
        return successes + failures;
    }
}
