package dev.sluice.core.stats;

/** The counters every listener and cluster keeps per event loop. */
public enum Counter {
    REQUESTS,
    RESPONSES_1XX,
    RESPONSES_2XX,
    RESPONSES_3XX,
    RESPONSES_4XX,
    RESPONSES_5XX,
    /** Replies Sluice wrote itself (errors, filter answers). */
    LOCAL_REPLIES,
    BYTES_IN,
    BYTES_OUT,
    CONNECTIONS_ACCEPTED,
    /** A gauge: incremented on open, decremented on close. */
    CONNECTIONS_ACTIVE,
    /** Connections refused by {@code max_connections} or {@code max_connections_per_ip}. */
    CONNECTIONS_REFUSED,
    UPSTREAM_CONNECTS,
    UPSTREAM_CONNECT_FAILURES,
    /** Requests sent on a pooled (reused) upstream connection. */
    UPSTREAM_REUSES,
    UPSTREAM_TIMEOUTS,
    UPSTREAM_RESETS,
    /** Requests sent again to another attempt (policy retries and the stale keep-alive retry). */
    RETRIES,
    /** Retries the retry budget refused; the client got the failed attempt's answer instead. */
    RETRY_BUDGET_EXHAUSTED,
    /** Requests answered 503 {@code overloaded} by {@code max_connections_per_backend} or {@code max_pending}. */
    OVERLOADED,
    /** Requests that a maglev picker served by its fallback policy because the hash key was absent. */
    HASH_KEY_MISSING;

    static final int COUNT = values().length;

    /** The response counter for a status code's class. */
    public static Counter forStatus(int status) {
        return switch (status / 100) {
            case 1 -> RESPONSES_1XX;
            case 2 -> RESPONSES_2XX;
            case 3 -> RESPONSES_3XX;
            case 4 -> RESPONSES_4XX;
            default -> RESPONSES_5XX;
        };
    }
}
