package dev.sluice.policy;

/**
 * What the policy decided for one admitted exchange, kept as the filter's attachment until {@code onComplete} so
 * that {@code onResponseHead} can add the {@code RateLimit} and deprecation fields: the consumer, its plan and
 * the state of its bucket and quota at admission. Pooled per loop and confined to it: steady state allocates none.
 *
 * <p>Its {@link #rateLimit} buffer is the {@code RateLimit} value put in the response head: the exchange goes back
 * to the pool only in {@code onComplete}, after the proxy wrote that head, so the value is never rewritten while a
 * head still holds it.
 */
final class PolicyExchange {

    Consumer consumer;
    Consumer.Limits limits;
    ApiVersion version;
    /** Tokens left, and whole seconds until the bucket is full. */
    long rateLeft;
    long rateReset;
    /** Requests left in the quota period, and whole seconds until it ends. */
    long quotaLeft;
    long quotaReset;
    final AsciiFieldValue rateLimit = new AsciiFieldValue(RateLimitFields.MAX_VALUE_LENGTH);

    /** Forgets the exchange; the buffer is rewritten by the next exchange that uses it. */
    void clear() {
        consumer = null;
        limits = null;
        version = null;
        rateLeft = 0;
        rateReset = 0;
        quotaLeft = 0;
        quotaReset = 0;
    }
}
