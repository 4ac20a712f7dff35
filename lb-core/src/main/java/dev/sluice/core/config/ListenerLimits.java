package dev.sluice.core.config;

import java.time.Duration;

/** The {@code listeners[].limits:} section; sizes in bytes. */
public record ListenerLimits(
        int maxRequestLine,
        int maxHeaderBytes,
        int maxHeaders,
        int maxConnections,
        int maxConnectionsPerIp,
        Duration requestHeaderTimeout,
        Duration bodyReadTimeout,
        Duration idleTimeout) {

    public static ListenerLimits defaults() {
        return new ListenerLimits(8 * 1024, 64 * 1024, 100, 100_000, 10_000,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
}
