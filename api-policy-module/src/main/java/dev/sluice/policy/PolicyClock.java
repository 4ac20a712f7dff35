package dev.sluice.policy;

/**
 * The time sources of the policy: a monotonic clock for rate buckets and the wall clock for calendar quota
 * periods. Injected so tests are deterministic. Implementations must be thread-safe and allocation-free.
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
