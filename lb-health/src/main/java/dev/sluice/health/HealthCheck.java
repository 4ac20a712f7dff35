package dev.sluice.health;

import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.HostPort;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Probes one backend once, without blocking. Implementations: {@code http} (a GET whose status decides) and
 * {@code tcp} (a connect that succeeds), made by {@link #of}.
 *
 * <p>Threading: {@link #probe} may be called from any thread; the work runs on the {@link ProbeTransport}'s
 * loop and the returned future completes there.
 *
 * <p>Failure: the future always succeeds with a {@link ProbeResult}, healthy or not; it never fails. It
 * completes within the configured timeout (plus the loop's scheduling delay), whatever the backend does.
 * Cancelling it aborts the probe and closes its connection.
 */
public interface HealthCheck {

    /**
     * Starts one probe.
     *
     * @param backend the backend's identity (used for the default {@code Host} header and causes)
     * @param address where to connect; must already be resolved (resolving would block the loop)
     */
    Future<ProbeResult> probe(HostPort backend, InetSocketAddress address);

    /**
     * Builds the check a cluster's config asks for.
     *
     * @throws IllegalArgumentException when the type is neither {@code http} nor {@code tcp}, or the timeout is
     *                                  not positive (config validation should have caught both)
     */
    static HealthCheck of(HealthCheckConfig config, ProbeTransport transport) {
        Duration timeout = config.timeout();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health_check.timeout must be positive, got " + timeout);
        }
        String type = config.type() == null ? "http" : config.type().toLowerCase(Locale.ROOT);
        switch (type) {
            case "http":
                return new HttpHealthCheck(transport, timeout, config.path(), config.host(), config.expectedStatuses());
            case "tcp":
                return new TcpHealthCheck(transport, timeout);
            default:
                throw new IllegalArgumentException("health_check.type must be http or tcp, got '" + config.type() + "'");
        }
    }
}
