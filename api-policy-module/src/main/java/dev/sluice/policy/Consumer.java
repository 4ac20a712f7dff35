package dev.sluice.policy;

import dev.sluice.policy.config.Plan;
import io.netty.util.AsciiString;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A consumer's run-time state, shared by every event loop: its plan (replaced by the admin thread, read by the
 * loops), its rate bucket's time and its quota counter (lock-free, see {@link RateBucket} and {@link QuotaCounter}),
 * its key ids (admin thread) and its refusal counters. Those are {@link LongAdder}s: striped per thread, so loops
 * serving one consumer do not contend on one cache line. Admitted requests, the common case, are counted per loop
 * instead ({@link LoopCounts}), by the consumer's {@link #number()}.
 */
final class Consumer {

    private static final VarHandle TAT;

    static {
        try {
            TAT = MethodHandles.lookup().findVarHandle(Consumer.class, "tat", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A plan with what the data plane needs of it per request, worked out once when the plan is set and published
     * with it in one volatile write, so a loop never sees one plan's rate with another's field. Immutable, and one
     * per plan, shared by the plan's consumers (why: with thousands of consumers, an instance and a field value of
     * each consumer's own were three more cache misses per request).
     *
     * @param plan          the plan
     * @param intervalNanos the rate's refill interval, 0 without a rate
     * @param policyField   the {@code RateLimit-Policy} value, {@code null} when the plan limits nothing
     */
    record Limits(Plan plan, long intervalNanos, AsciiString policyField) {

        static Limits of(Plan plan) {
            if (plan == null) {
                return new Limits(null, 0, null);
            }
            String field = RateLimitFields.policy(plan);
            return new Limits(plan, plan.rate() == null ? 0 : plan.rate().intervalNanos(),
                    field == null ? null : AsciiString.cached(field));
        }
    }

    private final String name;
    /** Dense, from 0 in order of loading or creation, never reused: the index of its per-loop counts. */
    private final int number;
    /** The name as the {@code X-Consumer} value: bytes ready for the encoder. */
    final AsciiString nameField;
    private final boolean fromConfig;
    /**
     * The rate bucket's theoretical arrival time ({@link RateBucket}): a field of the consumer, not an object of its
     * own, so that a loop reaches it with no load beyond the consumer.
     */
    private volatile long tat;
    private final QuotaCounter quota;
    private volatile Limits limits;
    private volatile List<ConsumerRecord.StoredKey> keys;

    final LongAdder unauthorized = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder quotaExceeded = new LongAdder();

    /**
     * {@code limits}: one instance per plan, shared by its consumers (see {@link ConsumerRegistry}); the rate bucket
     * is full at {@code nowNanos}.
     */
    Consumer(String name, int number, boolean fromConfig, Limits limits, List<ConsumerRecord.StoredKey> keys,
             long nowNanos, QuotaCounter quota) {
        this.name = name;
        this.number = number;
        this.nameField = AsciiString.cached(name);
        this.fromConfig = fromConfig;
        this.limits = limits;
        this.keys = List.copyOf(keys);
        this.tat = nowNanos;
        this.quota = quota;
    }

    String name() {
        return name;
    }

    /** Its number among the registry's consumers: where each loop keeps its admitted count ({@link LoopCounts}). */
    int number() {
        return number;
    }

    /** Whether the consumer is declared in the config file (then the admin API cannot change it). */
    boolean fromConfig() {
        return fromConfig;
    }

    Plan plan() {
        return limits.plan();
    }

    /** The plan and what the data plane derives from it. */
    Limits limits() {
        return limits;
    }

    /** Moves the consumer to another plan: {@code next} is that plan's shared {@link Limits}. */
    void limits(Limits next) {
        this.limits = next;
    }

    List<ConsumerRecord.StoredKey> keys() {
        return keys;
    }

    void keys(List<ConsumerRecord.StoredKey> next) {
        this.keys = List.copyOf(next);
    }

    /**
     * Takes one token from the rate bucket: one compare-and-set of its time, retried only when another loop moved
     * the time in between.
     *
     * @return the tokens left (0 or more) when admitted; otherwise {@code -1 - nanosUntilNextToken}
     */
    long tryAcquireToken(long nowNanos, long intervalNanos, long burst) {
        while (true) {
            long current = tat;
            long next = RateBucket.next(current, nowNanos, intervalNanos);
            long left = RateBucket.tokensLeft(next, nowNanos, intervalNanos, burst);
            if (left < 0 || TAT.compareAndSet(this, current, next)) {
                return left;
            }
        }
    }

    /** Tokens in the rate bucket at {@code nowNanos}, without taking one. */
    long tokensAvailable(long nowNanos, long intervalNanos, long burst) {
        return RateBucket.available(tat, nowNanos, intervalNanos, burst);
    }

    /** Nanoseconds from {@code nowNanos} until the rate bucket is full again. */
    long nanosUntilBucketFull(long nowNanos) {
        return RateBucket.nanosUntilFull(tat, nowNanos);
    }

    QuotaCounter quota() {
        return quota;
    }
}
