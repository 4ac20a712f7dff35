package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;

/**
 * The policy's time on one event loop: the monotonic time of the request being admitted ({@link #tick}), which the
 * data plane read when the request head arrived ({@code FilterContext.requestStartNanos()}), with the wall-clock
 * time and the current quota periods derived from it.
 *
 * <p>Why: a clock read costs 50 to 90 ns on a shared VM core, the data plane has already taken one for the
 * request, and the policy needs both clocks (monotonic for the rate bucket, wall for calendar quotas). The wall
 * clock ({@link PolicyClock#currentTimeMillis}) is read again at the first tick after {@value #RESYNC_NANOS} ns,
 * or when the monotonic time went backwards, and otherwise advanced by the monotonic time since: a wall-clock step
 * (NTP, an operator) is followed within a second, and between reads the two clocks drift apart by well under a
 * millisecond (the reading a tick is given is microseconds old, which adds as little). The quota word tolerates
 * loops that disagree by that much at a period boundary (see {@link QuotaCounter}).
 *
 * <p>The period of each kind containing the current time is remembered with its bounds, so the calendar
 * arithmetic runs once per period rather than per request.
 *
 * <p>Confined to its event loop. Allocation-free; reads no clock but the wall clock, about once a second.
 */
final class LoopClock {

    static final long RESYNC_NANOS = 1_000_000_000L;

    private static final QuotaPeriod[] PERIODS = QuotaPeriod.values();

    private final PolicyClock clock;
    private boolean anchored;
    private long anchorNanos;
    private long anchorMillis;
    private long nanos;
    private long millis;
    private final long[] periodIndex = new long[PERIODS.length];
    private final long[] periodStart = new long[PERIODS.length];
    private final long[] periodEnd = new long[PERIODS.length]; // 0 with start 0: nothing remembered yet

    LoopClock(PolicyClock clock) {
        this.clock = clock;
    }

    /**
     * Sets the time of the request being admitted: {@code now}, monotonic nanoseconds on the scale of
     * {@link PolicyClock#nanoTime} (the request's {@code FilterContext.requestStartNanos()}). The other methods
     * answer for it until the next tick.
     */
    void tick(long now) {
        long since = now - anchorNanos;
        if (!anchored || since >= RESYNC_NANOS || since < 0) {
            anchored = true;
            anchorNanos = now;
            anchorMillis = clock.currentTimeMillis();
            since = 0;
        }
        nanos = now;
        millis = anchorMillis + since / 1_000_000L;
    }

    /** Monotonic nanoseconds at the last tick. */
    long nanos() {
        return nanos;
    }

    /** Epoch milliseconds (UTC) at the last tick. */
    long millis() {
        return millis;
    }

    /** The number of the period of kind {@code p} containing the last tick, as {@link QuotaPeriod#index}. */
    long periodIndex(QuotaPeriod p) {
        return periodIndex[refresh(p)];
    }

    /** When the period of kind {@code p} containing the last tick ends, in epoch milliseconds. */
    long periodEndMillis(QuotaPeriod p) {
        return periodEnd[refresh(p)];
    }

    private int refresh(QuotaPeriod p) {
        int k = p.ordinal();
        if (millis < periodStart[k] || millis >= periodEnd[k]) {
            long index = p.index(millis);
            periodIndex[k] = index;
            periodStart[k] = p.startMillis(index);
            periodEnd[k] = p.startMillis(index + 1);
        }
        return k;
    }
}
