package dev.sluice.policy.config;

/**
 * A consumer declared in the config file, with the SHA-256 of its key (the key itself is never in the config).
 *
 * @param name      the consumer's name, sent upstream as {@code X-Consumer}
 * @param plan      the plan's name (checked to exist)
 * @param keySha256 64 lower-case hex digits
 */
public record ConsumerConfig(String name, String plan, String keySha256) {
}
