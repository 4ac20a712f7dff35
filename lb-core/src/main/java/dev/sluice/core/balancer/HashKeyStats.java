package dev.sluice.core.balancer;

/**
 * Counters of a picker that hashes a request key ({@code maglev}). The picker writes them on its own event
 * loop (single writer, no atomic read-modify-write); any thread may read them, e.g. the admin API or a
 * metrics scrape, and sees a value that is at most a few picks old. Test with {@code instanceof} on a
 * {@link Picker}.
 */
public interface HashKeyStats {

    /** Requests (first attempts) that had no key and were picked by the fallback policy. */
    long keyAbsentPicks();
}
