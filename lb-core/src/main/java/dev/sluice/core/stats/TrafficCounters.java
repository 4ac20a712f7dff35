package dev.sluice.core.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters and latency recorder of one listener or cluster on one event loop.
 *
 * <p>Single writer: only the owning event loop calls {@link #increment}, {@link #add} and
 * {@link #recordLatencyNanos}; any thread may read with {@link #get} and {@link #sampleLatency}. Writes are
 * opaque stores (no fence on x86), so the hot path pays a plain add; readers see recent, not instant, values.
 * No allocation after construction.
 */
public final class TrafficCounters {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Padding slots on each side so two loops' arrays never share a cache line. */
    private static final int PAD = 8;
    /** Latencies are recorded in microseconds, up to an hour, with two significant digits. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final long[] values = new long[Counter.COUNT + 2 * PAD];
    private final SingleWriterRecorder latency = new SingleWriterRecorder(1, HIGHEST_MICROS, 2);

    public void increment(Counter c) {
        add(c, 1);
    }

    public void add(Counter c, long delta) {
        int i = PAD + c.ordinal();
        LONGS.setOpaque(values, i, values[i] + delta);
    }

    public long get(Counter c) {
        return (long) LONGS.getOpaque(values, PAD + c.ordinal());
    }

    public void recordLatencyNanos(long nanos) {
        long micros = Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1000));
        latency.recordValue(micros);
    }

    /**
     * Moves the latencies recorded since the last call into {@code into}. One reader at a time: callers
     * serialise (the stats registry does).
     */
    void drainLatencyInto(Histogram into) {
        Histogram interval = latency.getIntervalHistogram();
        into.add(interval);
    }

    /** A histogram shape compatible with what {@link #drainLatencyInto} adds. */
    static Histogram newLatencyHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 2);
    }
}
