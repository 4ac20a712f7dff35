package dev.sluice.policy.config;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigNode;

import java.util.List;

/**
 * Reads the fields of one mapping of the {@code policy:} section, adding every problem to a shared list (with the
 * node's {@code FILE:LINE:COLUMN}) and returning {@code null} instead of throwing, so one pass finds every problem.
 * Unknown keys are reported when the reader is made. Confined to the thread reading the config.
 */
final class FieldReader {

    private final ConfigNode node;
    private final String where;
    private final List<ConfigError> errors;

    private FieldReader(ConfigNode node, String where, List<ConfigError> errors) {
        this.node = node;
        this.where = where;
        this.errors = errors;
    }

    /**
     * A reader over {@code node}, which must be a mapping (a key with no value reads as an empty one); otherwise
     * reports and returns {@code null}.
     *
     * @param where phrase naming the mapping in messages, e.g. {@code in plan 'gold'}
     */
    static FieldReader of(ConfigNode node, String subject, String where, List<ConfigError> errors, List<String> known) {
        if (node.kind() == ConfigNode.Kind.NULL) {
            return new FieldReader(node, where, errors);
        }
        if (node.kind() != ConfigNode.Kind.MAP) {
            errors.add(ConfigError.at(node, subject + " must be a mapping, found " + describe(node)));
            return null;
        }
        for (String key : node.fields().keySet()) {
            if (!known.contains(key)) {
                errors.add(ConfigError.at(node.keyNode(key), "unknown key '" + key + "' " + where
                        + ": expected one of " + String.join(", ", known)));
            }
        }
        return new FieldReader(node, where, errors);
    }

    /** How a node appears in messages. */
    static String describe(ConfigNode node) {
        return switch (node.kind()) {
            case LIST -> "a list";
            case MAP -> "a mapping";
            case NULL -> "no value";
            case SCALAR -> "'" + node.text() + "'";
        };
    }

    ConfigNode node() {
        return node;
    }

    List<ConfigError> errors() {
        return errors;
    }

    /** Reports {@code message} at {@code at}. */
    void error(ConfigNode at, String message) {
        errors.add(ConfigError.at(at, message));
    }

    /** The value node of {@code key}, or {@code null} when absent. */
    ConfigNode value(String key) {
        return node.kind() == ConfigNode.Kind.MAP ? node.get(key) : null;
    }

    /** The text of a scalar field; {@code null} when absent or (after reporting) not a single non-empty value. */
    String text(String key) {
        ConfigNode value = value(key);
        if (value == null) {
            return null;
        }
        if (value.kind() != ConfigNode.Kind.SCALAR || value.text().isBlank()) {
            error(value, "'" + key + "' " + where + " must be a single non-empty value, found " + describe(value));
            return null;
        }
        return value.text().trim();
    }

    /** Like {@link #text} but reports a missing key. */
    String requiredText(String key) {
        if (value(key) == null) {
            error(node, "missing required key '" + key + "' " + where);
            return null;
        }
        return text(key);
    }

    /** A whole number in {@code min..max}, {@code fallback} when absent or (after reporting) bad. */
    long number(String key, long fallback, long min, long max) {
        String text = text(key);
        if (text == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range, which says more than the parser's message
        }
        error(value(key), "bad " + key + " '" + text + "' " + where + ": expected a whole number " + min + ".." + max);
        return fallback;
    }

    /** A nested mapping's reader, or {@code null} when absent or (after reporting) not a mapping. */
    FieldReader mapping(String key, String childWhere, List<String> known) {
        ConfigNode value = value(key);
        return value == null ? null : of(value, "'" + key + "' " + where, childWhere, errors, known);
    }

    /** The items of a list field: empty when absent or empty, {@code null} after reporting a non-list. */
    List<ConfigNode> list(String key) {
        ConfigNode value = value(key);
        if (value == null || value.kind() == ConfigNode.Kind.NULL) {
            return List.of();
        }
        if (value.kind() != ConfigNode.Kind.LIST) {
            error(value, "'" + key + "' " + where + " must be a list, found " + describe(value));
            return null;
        }
        return value.items();
    }
}
