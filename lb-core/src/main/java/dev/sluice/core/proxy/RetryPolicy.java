package dev.sluice.core.proxy;

import dev.sluice.core.config.RetryConfig;

/**
 * A cluster's {@code retries:} section compiled for the hot path: which failures may be retried and how often,
 * as plain fields and a status table, so deciding costs no string building or hashing per request.
 *
 * <p>Immutable; built once per backend-set version by each loop's {@link LoopCluster}. {@link #OFF} when the
 * cluster has no {@code retries} section.
 */
final class RetryPolicy {

    /** No retries (the one transparent retry of a stale keep-alive connection is not a policy retry). */
    static final RetryPolicy OFF = new RetryPolicy(0, false, false, false, new boolean[0], 0);

    private final int attempts;
    private final boolean connectFailure;
    private final boolean reset;
    private final boolean timeout;
    private final boolean[] statuses;
    private final int budgetPercent;

    private RetryPolicy(int attempts, boolean connectFailure, boolean reset, boolean timeout, boolean[] statuses,
                        int budgetPercent) {
        this.attempts = attempts;
        this.connectFailure = connectFailure;
        this.reset = reset;
        this.timeout = timeout;
        this.statuses = statuses;
        this.budgetPercent = budgetPercent;
    }

    /**
     * Compiles {@code config}; {@code null} gives {@link #OFF}. Entries of {@code on} that are three-digit
     * numbers 500..599 are statuses; {@code connect_failure}, {@code reset} and {@code timeout} are conditions;
     * anything else was refused by config validation and is ignored here.
     */
    static RetryPolicy of(RetryConfig config) {
        if (config == null) {
            return OFF;
        }
        boolean[] statuses = new boolean[600];
        for (String on : config.on()) {
            int status = parseStatus(on);
            if (status >= 500) {
                statuses[status] = true;
            }
        }
        return new RetryPolicy(Math.max(0, config.attempts()), config.on().contains("connect_failure"),
                config.on().contains("reset"), config.on().contains("timeout"), statuses,
                Math.max(0, config.budgetPercent()));
    }

    private static int parseStatus(String text) {
        if (text.length() != 3) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < 3; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < 600 ? n : -1;
    }

    /** Retries after the first try. */
    int attempts() {
        return attempts;
    }

    boolean onConnectFailure() {
        return connectFailure;
    }

    boolean onReset() {
        return reset;
    }

    boolean onTimeout() {
        return timeout;
    }

    /** Whether a response with {@code status} from the backend is retried (before anything reached the client). */
    boolean onStatus(int status) {
        return status >= 0 && status < statuses.length && statuses[status];
    }

    /** Retries in flight allowed as a share of active requests (see {@link RetryBudget}). */
    int budgetPercent() {
        return budgetPercent;
    }
}
