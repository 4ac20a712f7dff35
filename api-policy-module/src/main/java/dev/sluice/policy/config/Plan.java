package dev.sluice.policy.config;

/**
 * A named plan: what a consumer on it may do. Immutable.
 *
 * @param name  the plan's name
 * @param rate  the sustained rate, or {@code null} for no rate limit
 * @param burst the token bucket's size (requests allowed at once); meaningful only with a rate
 * @param quota the calendar quota, or {@code null} for none
 */
public record Plan(String name, Rate rate, long burst, Quota quota) {
}
