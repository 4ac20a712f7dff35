package dev.sluice.core.stats;

import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * All event loops' {@link TrafficCounters} for one listener or cluster, merged for readers.
 *
 * <p>Loops register their counters once (when they first serve the listener or cluster); readers (admin API,
 * metrics) call {@link #snapshot()} from any thread. The cumulative latency histogram is owned by this
 * object and updated under its monitor, which only readers take: never an event loop.
 */
public final class TrafficStats {

    private final String name;
    private final List<TrafficCounters> perLoop = new CopyOnWriteArrayList<>();
    private final Histogram cumulative = TrafficCounters.newLatencyHistogram();

    public TrafficStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Creates and registers the counters of one loop. Called once per loop, on that loop. */
    public TrafficCounters newLoopCounters() {
        TrafficCounters c = new TrafficCounters();
        perLoop.add(c);
        return c;
    }

    /** Sums every loop's counters and the latency seen so far. Reader threads only. */
    public Snapshot snapshot() {
        Map<Counter, Long> totals = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            long sum = 0;
            for (TrafficCounters tc : perLoop) {
                sum += tc.get(c);
            }
            totals.put(c, sum);
        }
        Histogram copy;
        synchronized (cumulative) { // readers only; event loops never enter
            for (TrafficCounters tc : perLoop) {
                tc.drainLatencyInto(cumulative);
            }
            copy = cumulative.copy();
        }
        return new Snapshot(name, totals, copy);
    }

    /**
     * Merged figures at one moment.
     *
     * @param latencyMicros every recorded request latency, in microseconds
     */
    public record Snapshot(String name, Map<Counter, Long> counters, Histogram latencyMicros) {

        public long get(Counter c) {
            return counters.getOrDefault(c, 0L);
        }

        /** The latency at {@code percentile} (0..100) in microseconds, 0 when nothing was recorded. */
        public long latencyPercentileMicros(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile);
        }
    }
}
