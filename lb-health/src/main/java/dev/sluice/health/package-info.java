/**
 * Health of a cluster's backends: active probes ({@link dev.sluice.health.HealthCheck}), passive outlier
 * detection ({@link dev.sluice.health.OutlierDetector}) and panic mode ({@link dev.sluice.health.PanicMode}),
 * combined per cluster by {@link dev.sluice.health.ClusterHealth} into one readiness verdict per backend that
 * is handed to lb-core through {@link dev.sluice.health.HealthTarget}.
 *
 * <p>Threading: everything mutable here is confined to one health event loop chosen by the caller (see
 * {@link dev.sluice.health.ProbeTransport}); nothing runs on, blocks or locks a data-plane loop. The pure state
 * machines ({@link dev.sluice.health.OutlierDetector}, {@code RiseFallTracker}) take the time as an argument
 * and own no threads, so they are tested on a fake clock.
 */
package dev.sluice.health;
