package dev.sluice.health;

import dev.sluice.core.config.HostPort;

/**
 * The health of one backend at one moment, for the admin API and metrics. Immutable.
 *
 * @param backend       the backend
 * @param healthy       the combined verdict handed to lb-core: active check passing and not ejected
 * @param activeHealthy the active check's verdict ({@code true} when the cluster has no active check)
 * @param ejected       whether outlier detection has it out of rotation now
 * @param flips         how many times the combined verdict changed
 * @param ejections     how many times outlier detection ejected it
 * @param probes        probes completed
 * @param probeFailures probes that failed
 * @param lastCause     the cause of the latest probe result or verdict change, or {@code ""}
 */
public record BackendHealthSnapshot(HostPort backend, boolean healthy, boolean activeHealthy, boolean ejected,
                                    long flips, long ejections, long probes, long probeFailures, String lastCause) {
}
