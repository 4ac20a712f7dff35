package dev.sluice.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown at startup or reload when a config is invalid; carries every problem found, not just the first. */
public final class ConfigException extends Exception {

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
