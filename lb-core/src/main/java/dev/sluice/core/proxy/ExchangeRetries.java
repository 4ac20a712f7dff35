package dev.sluice.core.proxy;

import dev.sluice.core.stats.Counter;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Whether the current exchange may be sent again, and its place in its cluster's {@link RetryBudget} on this
 * loop: the retries made so far, the cluster's {@link RetryPolicy}, the one transparent retry of a stale pooled
 * connection, and entering and leaving the budget.
 *
 * <p>Confined to the connection's event loop; one instance per connection whose fields are reset between
 * exchanges ({@link #reset}), so deciding allocates nothing. A refusal is a {@code false}; one the budget
 * caused is counted. Whether a body byte already left is the caller's to check first.
 */
final class ExchangeRetries {

    /** What made an attempt fail. */
    enum RetryReason { CONNECT_FAILURE, RESET, TIMEOUT, STATUS }

    private LoopCluster cluster;
    private RetryPolicy policy = RetryPolicy.OFF;
    private int attempt;
    private boolean staleRetryUsed;
    /** Counted in the cluster's retry budget on this loop as active, and as in retry. */
    private boolean inBudget;
    private boolean inRetry;

    /** The exchange was routed to {@code cluster}: takes its retry policy and enters its budget. */
    void enter(LoopCluster cluster) {
        this.cluster = cluster;
        policy = cluster.retryPolicy();
        cluster.budget().requestStarted(policy.budgetPercent());
        inBudget = true;
    }

    /** Retries made so far: 0 on the first try. */
    int attempt() {
        return attempt;
    }

    /** Whether the cluster's policy retries a response with {@code status}. */
    boolean listsStatus(int status) {
        return policy.onStatus(status);
    }

    /**
     * Whether a request no body byte of which left may be sent again: the cluster's retry policy must allow it
     * (or it is the one transparent retry of a stale pooled connection), only idempotent requests are retried
     * after they may have reached a backend, and the cluster's retry budget on this loop must have room (a
     * refusal is counted). Allowing a retry marks the exchange as in retry in the budget.
     *
     * @param status           the backend's status for {@link RetryReason#STATUS}, else ignored
     * @param method           the request's method
     * @param reusedConnection whether the failed attempt used a pooled keep-alive connection
     */
    boolean mayRetry(RetryReason reason, int status, HttpMethod method, boolean reusedConnection) {
        boolean reachedBackend = reason != RetryReason.CONNECT_FAILURE;
        if (reachedBackend && !isIdempotent(method)) {
            return false;
        }
        if (reason == RetryReason.RESET && !staleRetryUsed && reusedConnection) {
            staleRetryUsed = true; // a keep-alive connection the backend closed as we reused it
            return true;
        }
        if (attempt >= policy.attempts()) {
            return false;
        }
        boolean listed = switch (reason) {
            case CONNECT_FAILURE -> policy.onConnectFailure();
            case RESET -> policy.onReset();
            case TIMEOUT -> policy.onTimeout();
            case STATUS -> policy.onStatus(status);
        };
        if (!listed) {
            return false;
        }
        if (!cluster.budget().tryRetry(inRetry)) {
            cluster.counters().increment(Counter.RETRY_BUDGET_EXHAUSTED);
            return false;
        }
        inRetry = true;
        return true;
    }

    /** A retry goes ahead: counts it. */
    void next() {
        attempt++;
        cluster.counters().increment(Counter.RETRIES);
    }

    /** Leaves the cluster's retry budget on this loop (the exchange ended or its connection closed). */
    void leave() {
        if (inBudget) {
            inBudget = false;
            cluster.budget().requestEnded(inRetry);
            inRetry = false;
        }
    }

    private static boolean isIdempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE
                || m == HttpMethod.PUT || m == HttpMethod.DELETE;
    }

    /** Forgets the ended exchange's retries; call after {@link #leave}. */
    void reset() {
        cluster = null;
        policy = RetryPolicy.OFF;
        attempt = 0;
        staleRetryUsed = false;
    }
}
