package dev.sluice.policy;

import dev.sluice.policy.config.Plan;

/**
 * What the policy decided for one admitted exchange, kept as the filter's attachment until {@code onComplete} so
 * that {@code onResponseHead} can add the {@code RateLimit} and deprecation fields: the consumer, its plan and
 * the state of its bucket and quota at admission. Pooled per loop and confined to it: steady state allocates none.
 */
final class PolicyExchange {

    Consumer consumer;
    Plan plan;
    ApiVersion version;
    /** Tokens left, and whole seconds until the bucket is full. */
    long rateLeft;
    long rateReset;
    /** Requests left in the quota period, and whole seconds until it ends. */
    long quotaLeft;
    long quotaReset;

    void clear() {
        consumer = null;
        plan = null;
        version = null;
        rateLeft = 0;
        rateReset = 0;
        quotaLeft = 0;
        quotaReset = 0;
    }
}
