package dev.sluice.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * How many requests one event loop admitted for each consumer, by {@link Consumer#number()}: the loop's share of
 * the {@code allowed} counter, which readers add up over the loops.
 *
 * <p>One writer, the loop's filter: a count goes up by a plain add and an opaque store, with no atomic
 * read-modify-write (why: a shared counter cost a locked instruction on every admitted request; per-loop counts
 * need none, as the data-plane counters do). Any thread may read: an opaque load gives a recent count, never a
 * torn one. The array grows, by a copy published with a volatile write, when a consumer numbered past its end is
 * first admitted; that is the only allocation. Writes after a reader's load may be missed by that read only.
 */
final class LoopCounts {

    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    private volatile long[] counts;

    /** Counts for consumers numbered below {@code capacity} without growing (more grow the array). */
    LoopCounts(int capacity) {
        this.counts = new long[Math.max(16, capacity)];
    }

    /** Counts one admitted request of consumer {@code number}. Only from the owning loop. */
    void increment(int number) {
        long[] c = counts;
        if (number >= c.length) {
            c = grow(number);
        }
        COUNT.setOpaque(c, number, c[number] + 1); // the only writer: a plain read of its own last write is exact
    }

    /** The count of consumer {@code number}. Any thread. */
    long get(int number) {
        long[] c = counts;
        return number < c.length ? (long) COUNT.getOpaque(c, number) : 0;
    }

    private long[] grow(int number) {
        long[] bigger = Arrays.copyOf(counts, Math.max(number + 1, counts.length * 2));
        counts = bigger; // publishes the copied counts with the new array
        return bigger;
    }
}
