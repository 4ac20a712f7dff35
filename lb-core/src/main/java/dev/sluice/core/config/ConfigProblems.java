package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems found while reading one config, so that every problem is reported at once.
 * Confined to the thread reading the config.
 */
final class ConfigProblems {

    private final List<ConfigError> errors = new ArrayList<>();

    /** Records {@code message} at the position of {@code node}. */
    void at(ConfigNode node, String message) {
        errors.add(ConfigError.at(node, message));
    }

    void addAll(List<ConfigError> more) {
        errors.addAll(more);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int count() {
        return errors.size();
    }

    /** The problems in file order (line, then column); problems at one position keep the order they were found. */
    List<ConfigError> sorted() {
        List<ConfigError> copy = new ArrayList<>(errors);
        copy.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        return copy;
    }
}
