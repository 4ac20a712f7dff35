package dev.sluice.health;

import dev.sluice.core.config.HostPort;

import java.time.Duration;

/**
 * One change decided by {@link OutlierDetector}: a backend leaves rotation or comes back. Immutable.
 *
 * @param backend  the backend
 * @param kind     eject or return
 * @param duration for an ejection, how long it lasts; for a return, how long the ejection lasted
 * @param cause    a short human sentence for logs and the admin API
 */
public record OutlierDecision(HostPort backend, Kind kind, Duration duration, String cause) {

    /** What happens to the backend. */
    public enum Kind {
        /** Out of rotation until the ejection time has passed. */
        EJECT,
        /** Back in rotation (as far as outlier detection is concerned). */
        RETURN
    }

    public boolean isEjection() {
        return kind == Kind.EJECT;
    }
}
