package dev.sluice.core.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads the fields of one YAML mapping into Java values. Each getter reports a problem (wrong type, bad value,
 * out of range, missing required key) to the shared {@link ConfigProblems} and returns the default instead of
 * throwing, so one reading pass finds every problem. Unknown keys are reported when the reader is made.
 * Confined to the thread reading the config.
 *
 * <p>{@code where} is a phrase naming the mapping for messages, such as {@code in cluster 'web'}.
 */
final class MappingReader {

    private final ConfigNode node;
    private final String where;
    private final ConfigProblems problems;

    private MappingReader(ConfigNode node, String where, ConfigProblems problems) {
        this.node = node;
        this.where = where;
        this.problems = problems;
    }

    /**
     * Reads {@code node}, which must be a mapping; {@code subject} names it in a type error (e.g.
     * {@code 'limits' in listener 'public'}). Returns {@code null} (after reporting) when it is not a mapping.
     */
    static MappingReader of(ConfigNode node, String subject, String where, ConfigProblems problems,
                            List<String> knownKeys) {
        if (node.kind() != ConfigNode.Kind.MAP) {
            problems.at(node, subject + " must be a mapping, found " + describe(node));
            return null;
        }
        for (String key : node.fields().keySet()) {
            if (!knownKeys.contains(key)) {
                problems.at(node.keyNode(key), unknownKey(key, where, knownKeys));
            }
        }
        return new MappingReader(node, where, problems);
    }

    private static String unknownKey(String key, String where, List<String> knownKeys) {
        String hint = DidYouMean.hint(key, knownKeys);
        return hint.isEmpty()
                ? "unknown key '" + key + "' " + where + ": expected one of " + String.join(", ", knownKeys)
                : "unknown key '" + key + "' " + where + hint;
    }

    /** How a node appears in messages: {@code a list}, {@code a mapping}, {@code no value} or {@code 'text'}. */
    static String describe(ConfigNode node) {
        return switch (node.kind()) {
            case LIST -> "a list";
            case MAP -> "a mapping";
            case NULL -> "no value";
            case SCALAR -> "'" + node.text() + "'";
        };
    }

    /** The text of a scalar node, or {@code null} (nothing reported) when it is not one. */
    static String peekText(ConfigNode node, String key) {
        ConfigNode value = node.kind() == ConfigNode.Kind.MAP ? node.get(key) : null;
        return value != null && value.kind() == ConfigNode.Kind.SCALAR ? value.text() : null;
    }

    ConfigNode node() {
        return node;
    }

    String where() {
        return where;
    }

    ConfigProblems problems() {
        return problems;
    }

    boolean has(String key) {
        return node.get(key) != null;
    }

    /** The raw value node of {@code key}, or {@code null} when absent. */
    ConfigNode value(String key) {
        return node.get(key);
    }

    /** The text of a scalar field; {@code fallback} when absent or (after reporting) not a scalar. */
    String text(String key, String fallback) {
        ConfigNode value = node.get(key);
        if (value == null) {
            return fallback;
        }
        if (value.kind() != ConfigNode.Kind.SCALAR) {
            problems.at(value, "'" + key + "' " + where + " must be a single value, found " + describe(value));
            return fallback;
        }
        return value.text();
    }

    /** The text of a required, non-empty scalar field, or {@code null} after reporting. */
    String requiredText(String key) {
        ConfigNode value = node.get(key);
        if (value == null) {
            problems.at(node, "missing required key '" + key + "' " + where);
            return null;
        }
        String text = text(key, null);
        if (text != null && text.isBlank()) {
            problems.at(value, "'" + key + "' " + where + " must not be empty");
            return null;
        }
        return text;
    }

    /** A whole number in {@code min..max}; {@code fallback} when absent or (after reporting) bad. */
    long number(String key, long fallback, long min, long max) {
        String text = text(key, null);
        if (text == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            problems.at(node.get(key), "bad " + key + " '" + text + "': expected a whole number " + min + ".." + max);
            return fallback;
        }
        if (n < min || n > max) {
            problems.at(node.get(key), key + " " + n + " is out of range: expected " + min + ".." + max);
            return fallback;
        }
        return n;
    }

    /** {@link #number} for {@code int} fields. */
    int intNumber(String key, int fallback, int min, int max) {
        return (int) number(key, fallback, min, max);
    }

    /** A duration (see {@link ConfigValues#parseDuration}); with {@code positive}, zero is rejected too. */
    Duration duration(String key, Duration fallback, boolean positive) {
        String text = text(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = ConfigValues.parseDuration(text);
            if (positive && d.isZero()) {
                problems.at(node.get(key), key + " must be longer than 0");
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.at(node.get(key), e.getMessage());
            return fallback;
        }
    }

    /** A size in bytes (see {@link ConfigValues#parseSize}) in {@code min..max}. */
    long size(String key, long fallback, long min, long max) {
        String text = text(key, null);
        if (text == null) {
            return fallback;
        }
        long bytes;
        try {
            bytes = ConfigValues.parseSize(text);
        } catch (IllegalArgumentException e) {
            problems.at(node.get(key), e.getMessage());
            return fallback;
        }
        if (bytes < min || bytes > max) {
            problems.at(node.get(key), key + " " + text.trim() + " is out of range: expected " + min + ".." + max
                    + " bytes");
            return fallback;
        }
        return bytes;
    }

    /** {@link #size} for {@code int} fields, at least 1 byte. */
    int intSize(String key, int fallback) {
        return (int) size(key, fallback, 1, Integer.MAX_VALUE);
    }

    /**
     * A nested mapping; {@code null} when absent or (after reporting) not a mapping. A key with no value (every
     * line under it commented out) reads as an empty mapping.
     *
     * @param childWhere the phrase naming the nested mapping, e.g. {@code in the timeouts of cluster 'web'}
     */
    MappingReader mapping(String key, String childWhere, List<String> knownKeys) {
        ConfigNode value = node.get(key);
        if (value == null) {
            return null;
        }
        if (value.kind() == ConfigNode.Kind.NULL) {
            value = ConfigNode.map(value.file(), value.line(), value.column(), new LinkedHashMap<>(),
                    new LinkedHashMap<>());
        }
        return of(value, "'" + key + "' " + where, childWhere, problems, knownKeys);
    }

    /**
     * The items of a list field; {@code null} when absent or (after reporting) not a list. A key with no value
     * reads as an empty list.
     */
    List<ConfigNode> list(String key) {
        ConfigNode value = node.get(key);
        if (value == null) {
            return null;
        }
        if (value.kind() == ConfigNode.Kind.NULL) {
            return List.of();
        }
        if (value.kind() != ConfigNode.Kind.LIST) {
            problems.at(value, "'" + key + "' " + where + " must be a list, found " + describe(value));
            return null;
        }
        return value.items();
    }
}
