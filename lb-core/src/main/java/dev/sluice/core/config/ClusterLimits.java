package dev.sluice.core.config;

/** A cluster's circuit-breaking limits, per backend and per cluster. */
public record ClusterLimits(int maxConnectionsPerBackend, int maxPending) {

    public static ClusterLimits defaults() {
        return new ClusterLimits(1024, 1024);
    }
}
