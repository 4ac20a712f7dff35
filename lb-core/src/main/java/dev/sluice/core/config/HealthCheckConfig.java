package dev.sluice.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A cluster's active health check.
 *
 * @param type             {@code http} or {@code tcp}
 * @param path             request path for {@code http}
 * @param host             Host header for {@code http}, or {@code null} for the backend address
 * @param expectedStatuses statuses counted healthy; empty means any 2xx
 */
public record HealthCheckConfig(String type, String path, Duration interval, Duration timeout, int rise, int fall,
                                String host, List<Integer> expectedStatuses) {

    public HealthCheckConfig {
        expectedStatuses = expectedStatuses == null ? List.of() : List.copyOf(expectedStatuses);
    }
}
