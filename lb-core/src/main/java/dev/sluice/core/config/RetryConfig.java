package dev.sluice.core.config;

import java.util.Set;

/**
 * A cluster's retry policy.
 *
 * @param attempts      retries after the first try
 * @param on            conditions: {@code connect_failure}, {@code reset}, {@code timeout} and status codes as text
 * @param budgetPercent retries allowed as a share of the requests sent to the cluster (see the data plane.s retry budget)
 */
public record RetryConfig(int attempts, Set<String> on, int budgetPercent) {

    public RetryConfig {
        on = Set.copyOf(on);
    }

    public static RetryConfig defaults() {
        return new RetryConfig(2, Set.of("connect_failure", "reset", "503"), 20);
    }
}
