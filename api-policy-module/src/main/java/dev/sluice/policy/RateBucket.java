package dev.sluice.policy;

/**
 * The arithmetic of one consumer's token bucket, shared by every event loop, kept as a single "theoretical arrival
 * time" (the generic cell rate algorithm, GCRA): a request at {@code now} is admitted when
 * {@code max(tat, now) + interval - now <= burst * interval}, and then {@code tat} advances by one interval.
 * That is exactly a token bucket of {@code burst} tokens refilled one per {@code interval}. A bucket is full at
 * {@code now} when {@code tat <= now}.
 *
 * <p>The time is one {@code long} that its owner keeps (a field of {@link Consumer}, so a loop reaches it with no
 * object between the consumer and its time); the functions here are pure. The owner admits a request with one
 * compare-and-set of the time from the value it read to {@link #next}, made only when {@link #tokensLeft} is not
 * negative, and retried from a fresh read when it fails. So the bucket is thread-safe and lock-free, the limit is
 * exact across loops (no over-admission) and contention is limited to loops serving the same consumer at the same
 * time. Allocation-free. The rate and burst are passed per call, so a plan change applies to the next request.
 *
 * <p>Times are monotonic nanoseconds on the {@link System#nanoTime()} scale: a request's is the data plane's reading
 * when its head arrived, so loops may present times a little out of order. A request whose time is older than one
 * already counted sees the bucket emptier by the difference (microseconds): it may be refused a token a moment
 * early, never admitted beyond the limit.
 */
final class RateBucket {

    private RateBucket() {
    }

    /** The time once a request at {@code nowNanos} is admitted, from the time {@code tat}. */
    static long next(long tat, long nowNanos, long intervalNanos) {
        long base = tat - nowNanos > 0 ? tat : nowNanos; // compare by difference: nanoTime may wrap
        return base + intervalNanos;
    }

    /**
     * The answer to a request at {@code nowNanos} whose admission would move the time to {@code next} (as
     * {@link #next} gives it).
     *
     * @return the tokens left (0 or more) when it is admitted; otherwise {@code -1 - nanosUntilNextToken}
     */
    static long tokensLeft(long next, long nowNanos, long intervalNanos, long burst) {
        long capacity = burst * intervalNanos;
        long ahead = next - nowNanos;
        return ahead > capacity ? -1 - (ahead - capacity) : (capacity - ahead) / intervalNanos;
    }

    /** Tokens available at {@code nowNanos} at the time {@code tat}, without taking one. */
    static long available(long tat, long nowNanos, long intervalNanos, long burst) {
        long ahead = Math.max(0, tat - nowNanos);
        return (burst * intervalNanos - ahead) / intervalNanos;
    }

    /** Nanoseconds from {@code nowNanos} until the bucket at the time {@code tat} is full again. */
    static long nanosUntilFull(long tat, long nowNanos) {
        return Math.max(0, tat - nowNanos);
    }
}
