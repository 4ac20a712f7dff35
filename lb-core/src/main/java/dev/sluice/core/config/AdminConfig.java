package dev.sluice.core.config;

import java.nio.file.Path;

/**
 * The {@code admin:} section.
 *
 * @param bind      where the admin API listens
 * @param tokenFile file holding the bearer token, or {@code null} when none is configured
 */
public record AdminConfig(HostPort bind, Path tokenFile) {

    public static AdminConfig defaults() {
        return new AdminConfig(new HostPort("127.0.0.1", 9901), null);
    }
}
