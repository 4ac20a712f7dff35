package dev.sluice.core.config;

/** The operator-set state of a backend, independent of its health. */
public enum BackendState {
    /** Takes new requests while healthy. */
    ACTIVE,
    /** Takes no new requests; in-flight requests finish. */
    DRAINING,
    /** Takes no requests at all. */
    DISABLED;

    /** The lower-case name used in the config and the admin API. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the wire name, or returns {@code null} when it is not one. */
    public static BackendState fromWireName(String text) {
        for (BackendState s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        return null;
    }
}
