package dev.sluice.policy.config;

/**
 * A quota such as {@code 1000/day}: at most {@code limit} requests per calendar {@code period} (UTC).
 *
 * @param limit  requests per period, 1..{@link #MAX_LIMIT}
 * @param period the calendar period
 */
public record Quota(long limit, QuotaPeriod period) {

    /** The largest quota: the persistent counter keeps 36 bits for the count. */
    public static final long MAX_LIMIT = (1L << 36) - 1;

    /**
     * Parses {@code N/minute}, {@code N/hour}, {@code N/day} or {@code N/month}.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static Quota parse(String text) {
        int slash = text.indexOf('/');
        QuotaPeriod period = slash < 0 ? null : QuotaPeriod.parse(text.substring(slash + 1));
        long limit = slash <= 0 ? -1 : Rate.parsePositive(text.substring(0, slash));
        if (period == null || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("bad quota '" + text + "': expected requests per calendar period,"
                    + " such as 1000/day (periods: /minute, /hour, /day, /month; 1.." + MAX_LIMIT + " requests)");
        }
        return new Quota(limit, period);
    }
}
