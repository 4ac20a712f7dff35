package dev.sluice.core.config;

/**
 * One problem found in a config file, printed as {@code FILE:LINE:COLUMN: message}.
 * Lines and columns are 1-based.
 */
public record ConfigError(String file, int line, int column, String message) {

    public static ConfigError at(ConfigNode node, String message) {
        return new ConfigError(node.file(), node.line(), node.column(), message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
