package dev.sluice.core.config;

import java.time.Duration;

/**
 * A cluster's upstream timeouts.
 *
 * @param connect  to establish a connection
 * @param response from the request being sent to the response head, and between response body reads
 * @param idle     an idle pooled connection is closed after this
 */
public record Timeouts(Duration connect, Duration response, Duration idle) {

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60));
    }
}
