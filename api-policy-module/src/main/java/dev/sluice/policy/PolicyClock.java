package dev.sluice.policy;

/**
 * The time sources of the policy: a monotonic clock for rate buckets and the wall clock for calendar quota
 * periods. Injected so tests are deterministic. Implementations must be thread-safe and allocation-free.
 *
 * <p>Per request the policy reads neither: the monotonic time of a request is the data plane's reading
 * ({@code FilterContext.requestStartNanos()}), and the wall clock is derived from it between reads about once a
 * second ({@code LoopClock}). {@link #nanoTime} is read off the request path (a new consumer's full bucket), so it
 * must count on the same scale as the contexts' readings: {@link System#nanoTime()} in production, and in tests
 * the fake clock that also gives the test contexts their readings.
 */
public interface PolicyClock {

    /** The system clocks. */
    PolicyClock SYSTEM = new PolicyClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Milliseconds since the Unix epoch (UTC), as {@link System#currentTimeMillis()}. */
    long currentTimeMillis();
}
