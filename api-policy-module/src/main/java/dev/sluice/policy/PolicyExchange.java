package dev.sluice.policy;

import dev.sluice.policy.config.Plan;

/**
 * What the policy decided for one admitted exchange, kept as the filter's attachment until {@code onComplete} so
 * that {@code onResponseHead} can add the {@code RateLimit} and deprecation fields. Pooled per loop and confined
 * to it: steady state allocates none.
 */
final class PolicyExchange {

    Consumer consumer;
    Plan plan;
    ApiVersion version;
    long quotaUsed;

    void clear() {
        consumer = null;
        plan = null;
        version = null;
        quotaUsed = 0;
    }
}
