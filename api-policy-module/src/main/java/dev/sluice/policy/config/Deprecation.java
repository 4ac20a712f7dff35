package dev.sluice.policy.config;

/**
 * When an API version was or will be deprecated and when it goes away, as dates at 00:00 UTC.
 *
 * @param deprecatedAtEpochSecond the {@code Deprecation} date (RFC 9745)
 * @param sunsetAtEpochSecond     the {@code Sunset} date (RFC 8594), not before the deprecation date
 */
public record Deprecation(long deprecatedAtEpochSecond, long sunsetAtEpochSecond) {
}
