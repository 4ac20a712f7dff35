package dev.sluice.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code runtime:} section.
 *
 * @param workers      event loops; 0 means one per available core
 * @param transport    {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 * @param drainTimeout how long in-flight requests may run after a stop signal
 * @param stateDir     where run-time changes made through the admin API are kept
 */
public record RuntimeConfig(int workers, String transport, Duration drainTimeout, Path stateDir) {

    public static RuntimeConfig defaults() {
        return new RuntimeConfig(0, "auto", Duration.ofSeconds(30), Path.of("/var/lib/sluice"));
    }

    /** The number of event loops this config asks for, resolving {@code auto}. */
    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
