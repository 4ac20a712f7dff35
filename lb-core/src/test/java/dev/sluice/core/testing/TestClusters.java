package dev.sluice.core.testing;

import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ClusterLimits;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.OutlierConfig;
import dev.sluice.core.config.RetryConfig;

/** Copies of a {@link ClusterConfig} with its resilience sections replaced, for tests. */
public final class TestClusters {

    private TestClusters() {
    }

    /** {@code c} with the given health check, outlier detection, retries and limits ({@code null} = off). */
    public static ClusterConfig with(ClusterConfig c, HealthCheckConfig healthCheck, OutlierConfig outliers,
                                     RetryConfig retries, ClusterLimits limits) {
        return new ClusterConfig(c.name(), c.balancer(), c.hashKey(), c.hashFallback(), c.maglevTableSize(),
                c.ewmaDecay(), c.backends(), c.timeouts(), c.maxRequestBody(), healthCheck, outliers, retries, limits);
    }

    /** {@code c} with {@code retries} and default limits. */
    public static ClusterConfig withRetries(ClusterConfig c, RetryConfig retries) {
        return with(c, c.healthCheck(), c.outlierDetection(), retries, c.limits());
    }

    /** {@code c} with {@code limits}. */
    public static ClusterConfig withLimits(ClusterConfig c, ClusterLimits limits) {
        return with(c, c.healthCheck(), c.outlierDetection(), c.retries(), limits);
    }
}
