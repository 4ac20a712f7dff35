package dev.sluice.core.config;

import java.time.Duration;

/** A cluster's passive outlier detection. */
public record OutlierConfig(int consecutiveFailures, Duration baseEjection, int maxEjectionPercent) {

    public static OutlierConfig defaults() {
        return new OutlierConfig(5, Duration.ofSeconds(30), 50);
    }
}
