package dev.sluice.policy.config;

/**
 * A request rate such as {@code 100/s} or {@code 5/m}: {@code permits} per {@code windowSeconds}.
 *
 * @param permits       requests allowed per window, at least 1
 * @param windowSeconds the window: 1 ({@code /s}), 60 ({@code /m}) or 3600 ({@code /h})
 */
public record Rate(long permits, long windowSeconds) {

    /** Nanoseconds between two requests at this rate (the token bucket's refill interval), at least 1. */
    public long intervalNanos() {
        return Math.max(1, windowSeconds * 1_000_000_000L / permits);
    }

    /**
     * Parses {@code N/s}, {@code N/m} or {@code N/h} (also {@code /second}, {@code /minute}, {@code /hour}).
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static Rate parse(String text) {
        int slash = text.indexOf('/');
        long window = slash < 0 ? -1 : switch (text.substring(slash + 1)) {
            case "s", "second" -> 1;
            case "m", "minute" -> 60;
            case "h", "hour" -> 3600;
            default -> -1;
        };
        long permits = slash <= 0 ? -1 : parsePositive(text.substring(0, slash));
        if (window < 0 || permits < 1 || permits > 1_000_000_000L) {
            throw new IllegalArgumentException("bad rate '" + text + "': expected requests per time unit, such as"
                    + " 100/s, 5/m or 1000/h (1..1000000000 requests)");
        }
        return new Rate(permits, window);
    }

    static long parsePositive(String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }
}
