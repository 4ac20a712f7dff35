package dev.sluice.core.filter;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.SluiceConfig;

import java.util.List;

/**
 * A filter module found through {@link java.util.ServiceLoader}. It owns one top-level config section
 * ({@link #section()}); when the config has no such section the provider is never asked for anything, so
 * an unconfigured module costs nothing on the data plane.
 */
public interface HttpFilterProvider {

    /** The top-level config key this provider owns, e.g. {@code policy}. */
    String section();

    /**
     * Checks the section without side effects, for {@code sluice validate} and reload. Every problem is
     * reported with its position; an empty list means valid.
     */
    List<ConfigError> validate(ConfigNode section, SluiceConfig config);

    /** Builds the factory for a valid section (may open stores); errors here are startup errors. */
    HttpFilterFactory create(ConfigNode section, SluiceConfig config) throws Exception;
}
