package dev.sluice.core.config;

import java.time.Duration;

/**
 * Parses the value formats of the config file, so the config loader, the admin API and filter modules read
 * them the same way. Stateless and thread-safe; meant for config and admin code, not the data plane.
 *
 * <p>Every parse method throws {@link IllegalArgumentException} whose message is a complete sentence for the
 * user (what is wrong and what is expected), ready to be placed after {@code FILE:LINE:COLUMN: }.
 */
public final class ConfigValues {

    private static final long KIB = 1024L;
    private static final long MIB = 1024L * KIB;
    private static final long GIB = 1024L * MIB;

    private ConfigValues() {
    }

    /**
     * Parses a duration: a whole number followed by {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}), or a bare {@code 0}. Negative durations and durations
     * whose nanoseconds would not fit in a {@code long} (about 292 years) are rejected.
     *
     * @throws IllegalArgumentException e.g. {@code bad duration '2x': expected a number with ms, s, m or h}
     */
    public static Duration parseDuration(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("bad duration '" + s + "': durations cannot be negative");
        }
        int digits = countLeadingDigits(s);
        String unit = s.substring(digits);
        if (digits == 0 || !(unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h"))) {
            throw new IllegalArgumentException("bad duration '" + s + "': expected a number with ms, s, m or h");
        }
        long amount = parseAmount(s, digits, "duration");
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> multiply(s, amount, 60);
            default -> multiply(s, amount, 3600);
        };
        try {
            d.toNanos(); // the data plane schedules in nanoseconds, so every duration must fit there
        } catch (ArithmeticException e) {
            throw tooLarge("duration", s, e);
        }
        return d;
    }

    /**
     * Parses a size in bytes: a plain whole number ({@code 512}) or one followed by {@code KiB}, {@code MiB} or
     * {@code GiB} ({@code 64KiB}, {@code 10MiB}, {@code 1GiB}). Negative sizes and sizes beyond
     * {@link Long#MAX_VALUE} bytes are rejected.
     *
     * @throws IllegalArgumentException e.g. {@code bad size '10MB': expected bytes or a number with KiB, MiB or GiB}
     */
    public static long parseSize(String text) {
        String s = text == null ? "" : text.trim();
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("bad size '" + s + "': sizes cannot be negative");
        }
        int digits = countLeadingDigits(s);
        String unit = s.substring(digits);
        long factor = switch (unit) {
            case "" -> 1;
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            case "GiB" -> GIB;
            default -> 0;
        };
        if (digits == 0 || factor == 0) {
            throw new IllegalArgumentException("bad size '" + s + "': expected bytes or a number with KiB, MiB or GiB");
        }
        long amount = parseAmount(s, digits, "size");
        if (amount > Long.MAX_VALUE / factor) {
            throw tooLarge("size", s, null);
        }
        return amount * factor;
    }

    /**
     * Checks a Maglev hash key source: {@code client_ip}, {@code path}, or {@code header:NAME},
     * {@code cookie:NAME} or {@code query:NAME} where NAME is an HTTP token (see {@link #isToken}).
     *
     * @return {@code text} unchanged when valid
     * @throws IllegalArgumentException e.g. {@code bad hash_key 'header:': expected client_ip, path, header:NAME, ...}
     */
    public static String checkHashKey(String text) {
        if ("client_ip".equals(text) || "path".equals(text)) {
            return text;
        }
        int colon = text == null ? -1 : text.indexOf(':');
        String kind = colon < 0 ? "" : text.substring(0, colon);
        if (kind.equals("header") || kind.equals("cookie") || kind.equals("query")) {
            if (isToken(text.substring(colon + 1))) {
                return text;
            }
            throw new IllegalArgumentException("bad hash_key '" + text + "': the name after '" + kind
                    + ":' must be a non-empty HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
        }
        throw new IllegalArgumentException("bad hash_key '" + text
                + "': expected client_ip, path, header:NAME, cookie:NAME or query:NAME");
    }

    /**
     * Whether {@code text} is a non-empty HTTP token (RFC 9110 section 5.6.2), the syntax of header field names
     * and methods.
     */
    public static boolean isToken(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static int countLeadingDigits(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static long parseAmount(String s, int digits, String what) {
        try {
            return Long.parseLong(s.substring(0, digits));
        } catch (NumberFormatException e) {
            // only digits reach here, so the number is too long for a long
            throw tooLarge(what, s, e);
        }
    }

    private static Duration multiply(String s, long amount, long secondsPerUnit) {
        try {
            return Duration.ofSeconds(Math.multiplyExact(amount, secondsPerUnit));
        } catch (ArithmeticException e) {
            throw tooLarge("duration", s, e);
        }
    }

    private static IllegalArgumentException tooLarge(String what, String s, Exception cause) {
        return new IllegalArgumentException(what + " '" + s + "' is too large", cause);
    }
}
