package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One consumer's token bucket, shared by every event loop, kept as a single "theoretical arrival time" (the
 * generic cell rate algorithm, GCRA): a request at {@code now} is admitted when
 * {@code max(tat, now) + interval - now <= burst * interval}, and then {@code tat} advances by one interval.
 * That is exactly a token bucket of {@code burst} tokens refilled one per {@code interval}.
 *
 * <p>Thread-safe and lock-free: one compare-and-set per admission on one {@code long}, so the limit is exact
 * across loops (no over-admission) and contention is limited to loops serving the same consumer at the same time.
 * Allocation-free. The rate and burst are passed per call, so a plan change applies to the next request.
 *
 * <p>Times are monotonic nanoseconds on the {@link System#nanoTime()} scale: a request's is the data plane's reading
 * when its head arrived, so loops may present times a little out of order. A request whose time is older than one
 * already counted sees the bucket emptier by the difference (microseconds): it may be refused a token a moment
 * early, never admitted beyond the limit.
 */
final class RateBucket {

    // the time in a field of the bucket itself, not an AtomicLong: one object fewer to reach per request
    private static final VarHandle TAT;

    static {
        try {
            TAT = MethodHandles.lookup().findVarHandle(RateBucket.class, "tat", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long tat;

    /** A full bucket at {@code nowNanos}. */
    RateBucket(long nowNanos) {
        this.tat = nowNanos;
    }

    /**
     * Takes one token.
     *
     * @return the tokens left (0 or more) when admitted; otherwise {@code -1 - nanosUntilNextToken}
     */
    long tryAcquire(long nowNanos, long intervalNanos, long burst) {
        long capacity = burst * intervalNanos;
        while (true) {
            long current = tat;
            long base = current - nowNanos > 0 ? current : nowNanos; // compare by difference: nanoTime may wrap
            long next = base + intervalNanos;
            long ahead = next - nowNanos;
            if (ahead > capacity) {
                return -1 - (ahead - capacity);
            }
            if (TAT.compareAndSet(this, current, next)) {
                return (capacity - ahead) / intervalNanos;
            }
        }
    }

    /** Tokens available at {@code nowNanos}, without taking one. */
    long available(long nowNanos, long intervalNanos, long burst) {
        long ahead = Math.max(0, tat - nowNanos);
        return (burst * intervalNanos - ahead) / intervalNanos;
    }

    /** Nanoseconds until the bucket is full again. */
    long nanosUntilFull(long nowNanos) {
        return Math.max(0, tat - nowNanos);
    }
}
