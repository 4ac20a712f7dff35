package dev.sluice.core.balancer;

import java.util.PriorityQueue;

/**
 * A discrete-event simulation of event loops sending requests through their pickers to backends with fixed
 * latencies, on a simulated clock: one request arrives every {@code interArrivalNanos}, loops take turns, and
 * each response ends the request at {@code start + latency(backend)}. No real time passes.
 */
final class LatencySimulation {

    private final Picker[] loops;
    private final long[] latencyNanos;
    private final long[] clock;
    private final int[] picks;

    /** {@code clock} is the one-element array the pickers' clock reads. */
    LatencySimulation(Picker[] loops, long[] latencyNanos, long[] clock) {
        this.loops = loops;
        this.latencyNanos = latencyNanos;
        this.clock = clock;
        this.picks = new int[latencyNanos.length];
    }

    /** Runs {@code requests} requests; returns how many each backend got. */
    int[] run(int requests, long interArrivalNanos) {
        // {end time, loop, backend, start time}
        PriorityQueue<long[]> inFlight = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        long next = clock[0];
        for (int r = 0; r < requests; r++) {
            while (!inFlight.isEmpty() && inFlight.peek()[0] <= next) {
                long[] done = inFlight.poll();
                clock[0] = done[0];
                loops[(int) done[1]].onRequestEnd((int) done[2], done[0] - done[3], false);
            }
            clock[0] = next;
            int loop = r % loops.length;
            int backend = loops[loop].pick(null, 0);
            loops[loop].onRequestStart(backend);
            picks[backend]++;
            inFlight.add(new long[] {next + latencyNanos[backend], loop, backend, next});
            next += interArrivalNanos;
        }
        return picks.clone();
    }
}
