package dev.sluice.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node with its position in the source file, so every config error can say {@code FILE:LINE:COLUMN}.
 * Immutable. Mapping keys keep their order; {@link #keyNode(String)} gives the position of a key itself.
 * Filter providers receive their section as a {@code ConfigNode}.
 */
public final class ConfigNode {

    /** What a node holds. */
    public enum Kind { MAP, LIST, SCALAR, NULL }

    private final Kind kind;
    private final String file;
    private final int line;
    private final int column;
    private final String scalar;
    private final Map<String, ConfigNode> fields;
    private final Map<String, ConfigNode> keys;
    private final List<ConfigNode> items;

    private ConfigNode(Kind kind, String file, int line, int column, String scalar,
                       Map<String, ConfigNode> fields, Map<String, ConfigNode> keys, List<ConfigNode> items) {
        this.kind = kind;
        this.file = file;
        this.line = line;
        this.column = column;
        this.scalar = scalar;
        this.fields = fields;
        this.keys = keys;
        this.items = items;
    }

    /** A scalar ({@code null} text makes a NULL node). Lines and columns are 1-based. */
    public static ConfigNode scalar(String file, int line, int column, String text) {
        return new ConfigNode(text == null ? Kind.NULL : Kind.SCALAR, file, line, column, text, Map.of(), Map.of(), List.of());
    }

    /**
     * A mapping. {@code keys} maps each key to a scalar node positioned at the key; {@code fields} maps it
     * to the value. Both keep insertion order.
     */
    public static ConfigNode map(String file, int line, int column,
                                 LinkedHashMap<String, ConfigNode> fields, LinkedHashMap<String, ConfigNode> keys) {
        return new ConfigNode(Kind.MAP, file, line, column, null,
                Collections.unmodifiableMap(new LinkedHashMap<>(fields)),
                Collections.unmodifiableMap(new LinkedHashMap<>(keys)), List.of());
    }

    public static ConfigNode list(String file, int line, int column, List<ConfigNode> items) {
        return new ConfigNode(Kind.LIST, file, line, column, null, Map.of(), Map.of(), List.copyOf(items));
    }

    public Kind kind() {
        return kind;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The scalar text, or {@code null} unless this is a SCALAR. */
    public String text() {
        return scalar;
    }

    /** The mapping's values by key (empty unless MAP). */
    public Map<String, ConfigNode> fields() {
        return fields;
    }

    /** The value of {@code key}, or {@code null} when absent. */
    public ConfigNode get(String key) {
        return fields.get(key);
    }

    /** The node of the key itself (for errors about the key), or {@code null} when absent. */
    public ConfigNode keyNode(String key) {
        return keys.get(key);
    }

    /** The sequence's items (empty unless LIST). */
    public List<ConfigNode> items() {
        return items;
    }

    /** {@code FILE:LINE:COLUMN} of this node. */
    public String position() {
        return file + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SCALAR -> scalar;
            case NULL -> "null";
            case LIST -> items.toString();
            case MAP -> fields.toString();
        };
    }
}
