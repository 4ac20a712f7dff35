package dev.sluice.core.config;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code clusters:}. Optional sections that default to off are {@code null}.
 *
 * @param balancer         picker name ({@code round_robin}, {@code random}, ...)
 * @param hashKey          maglev key source, e.g. {@code client_ip} or {@code header:x-user}
 * @param hashFallback     maglev only: the policy for requests without the key ({@code random} by default)
 * @param maxRequestBody   bytes; negative means no limit (bodies stream)
 * @param healthCheck      {@code null} when off
 * @param outlierDetection {@code null} when off
 * @param retries          {@code null} when off
 */
public record ClusterConfig(
        String name,
        String balancer,
        String hashKey,
        String hashFallback,
        int maglevTableSize,
        Duration ewmaDecay,
        List<BackendConfig> backends,
        Timeouts timeouts,
        long maxRequestBody,
        HealthCheckConfig healthCheck,
        OutlierConfig outlierDetection,
        RetryConfig retries,
        ClusterLimits limits) {

    public static final int DEFAULT_MAGLEV_TABLE_SIZE = 65537;

    public ClusterConfig {
        backends = List.copyOf(backends);
    }

    /** A cluster with defaults everywhere but its name, balancer and backends (tests, the demo). */
    public static ClusterConfig simple(String name, String balancer, List<BackendConfig> backends) {
        return new ClusterConfig(name, balancer, "client_ip", "random", DEFAULT_MAGLEV_TABLE_SIZE, Duration.ofSeconds(10),
                backends, Timeouts.defaults(), -1, null, null, null, ClusterLimits.defaults());
    }

    public ClusterConfig withBackends(List<BackendConfig> newBackends) {
        return new ClusterConfig(name, balancer, hashKey, hashFallback, maglevTableSize, ewmaDecay, newBackends, timeouts,
                maxRequestBody, healthCheck, outlierDetection, retries, limits);
    }

    public ClusterConfig withBalancer(String newBalancer, String newHashKey) {
        return new ClusterConfig(name, newBalancer, newHashKey, hashFallback, maglevTableSize, ewmaDecay, backends, timeouts,
                maxRequestBody, healthCheck, outlierDetection, retries, limits);
    }

    public ClusterConfig withTimeouts(Timeouts newTimeouts) {
        return new ClusterConfig(name, balancer, hashKey, hashFallback, maglevTableSize, ewmaDecay, backends, newTimeouts,
                maxRequestBody, healthCheck, outlierDetection, retries, limits);
    }

    public ClusterConfig withMaxRequestBody(long bytes) {
        return new ClusterConfig(name, balancer, hashKey, hashFallback, maglevTableSize, ewmaDecay, backends, timeouts,
                bytes, healthCheck, outlierDetection, retries, limits);
    }
}
