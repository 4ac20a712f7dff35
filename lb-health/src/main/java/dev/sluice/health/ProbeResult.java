package dev.sluice.health;

import java.util.Objects;

/**
 * The outcome of one probe of one backend. Immutable. Failures are values: a refused connection, a timeout
 * or a bad status are all an unhealthy result with a cause, never an exception.
 *
 * @param healthy whether the probe counts as a success for the rise/fall thresholds
 * @param cause   a short human sentence for logs and the admin API, e.g. {@code "HTTP 503"}
 */
public record ProbeResult(boolean healthy, String cause) {

    public ProbeResult {
        Objects.requireNonNull(cause, "cause");
    }

    public static ProbeResult healthy(String cause) {
        return new ProbeResult(true, cause);
    }

    public static ProbeResult unhealthy(String cause) {
        return new ProbeResult(false, cause);
    }
}
