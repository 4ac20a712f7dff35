package dev.sluice.core.balancer;

import java.util.function.LongSupplier;

/**
 * {@code peak_ewma}: power of two choices on Finagle's peak-EWMA load. Per backend it keeps {@code cost} (a
 * peak-sensitive moving average of latency, ns), {@code stamp} (when cost was last updated) and
 * {@code pending} (requests in flight). Exactly as Finagle's {@code PeakEwma}:
 * <pre>
 *   observe(rtt): w = exp(-max(now - stamp, 0) / tau)
 *                 cost = rtt > cost ? rtt : cost * w + rtt * (1 - w);  stamp = now
 *   load():       observe(0)                               (decays cost while the backend is idle)
 *                 cost == 0 and pending > 0 ? PENALTY + pending : cost * (pending + 1)
 * </pre>
 * with {@code tau = ewma_decay} (10 s by default) and {@code PENALTY = Long.MAX_VALUE >> 16}. A pick draws two
 * distinct random ready backends and takes the lower load (a tie goes to the first, itself random). The
 * latency fed in is {@link #onRequestEnd}'s: request start to response head. A <b>failed</b> request counts as
 * {@code max(latency, 1 s)} ({@link #FAILURE_LATENCY_NANOS}): a backend that fails fast must not look fast.
 * The peak rule puts it behind healthy backends at once and the decay ({@code tau}) brings it back into
 * contention after about {@code tau * ln(1 s / healthy latency)} without traffic; hard ejection is the outlier
 * detector's job, not this one's. Weights are not used, as in Finagle: the load already measures capacity.
 *
 * <p>Threading: confined to its event loop, and each loop learns only from its own requests; there are no shared
 * samples. Why that is fine: the peak rule reacts to a single slow response, so every loop that sends a
 * backend even one request sees a slowdown at once, and with connections spread by SO_REUSEPORT each loop
 * sees a representative share of traffic. What it costs: a loop's {@code pending} counts only its own requests
 * (load is judged per loop, like Finagle's per-client balancers), and after a change each loop pays its own
 * first slow sample, i.e. up to one slow request per loop rather than one per process. Sharing would need
 * cross-core writes on every response, which the design forbids on the hot path. The unit tests check that two
 * independent pickers given alternate requests each steer away from a slow backend.
 *
 * <p>Clock: injected (a {@code nanoTime} supplier) so tests are deterministic, and read once per response, in
 * {@link #onRequestEnd}, which needs it for the stamp anyway. A pick reads no clock: it decays loads to the
 * time of the loop's latest response. Why: {@code nanoTime} costs 20 to 90 ns (more on VMs), as much as the rest
 * of the pick, while under load the latest response is microseconds old against a {@code tau} of seconds. The
 * decay is never lost, only applied at the next response: on a loop that was idle, the first pick after the
 * pause judges costs as of the last response, so an idle slow backend is retried one request later than with a
 * fresh clock.
 *
 * <p>Allocation: none per pick or per request. Retries ({@code attempt > 0}) draw among ready backends other
 * than the previous choice.
 */
final class PeakEwmaPicker implements Picker {

    /** Finagle's load for a backend with requests in flight but no latency sample yet. */
    static final double PENALTY = (double) (Long.MAX_VALUE >> 16);
    /** The latency a failed request counts as, at least. */
    static final long FAILURE_LATENCY_NANOS = 1_000_000_000L;

    private final TwoChoices choices;
    private final LongSupplier clock;
    private final double inverseTau;
    private final double[] cost;
    private final long[] stamp;
    private final int[] pending;
    /** The time of this picker's latest clock read: construction or the latest response. Picks use it. */
    private long lastClockRead;
    private int last = -1;

    PeakEwmaPicker(BackendSet set, ReadyList ready, LongSupplier clock, long decayNanos, long seed) {
        if (decayNanos <= 0) {
            throw new IllegalArgumentException("ewma_decay must be positive, got " + decayNanos + " ns");
        }
        this.choices = new TwoChoices(ready, seed);
        this.clock = clock;
        this.inverseTau = 1.0 / decayNanos;
        this.cost = new double[set.size()];
        this.stamp = new long[set.size()];
        this.pending = new int[set.size()];
        this.lastClockRead = clock.getAsLong();
        java.util.Arrays.fill(stamp, lastClockRead);
    }

    @Override
    public int pick(PickContext ctx, int attempt) {
        if (!choices.draw(attempt > 0 ? last : -1)) {
            return NO_BACKEND;
        }
        int a = choices.first;
        int b = choices.second;
        int chosen = a;
        if (a != b) {
            chosen = load(b, lastClockRead) < load(a, lastClockRead) ? b : a;
        }
        last = chosen;
        return chosen;
    }

    @Override
    public void onRequestStart(int index) {
        if (index >= 0 && index < pending.length) {
            pending[index]++;
        }
    }

    @Override
    public void onRequestEnd(int index, long latencyNanos, boolean failed) {
        if (index < 0 || index >= pending.length) {
            return;
        }
        if (pending[index] > 0) {
            pending[index]--;
        }
        long rtt = Math.max(latencyNanos, 0);
        lastClockRead = clock.getAsLong();
        observe(index, failed ? Math.max(rtt, FAILURE_LATENCY_NANOS) : rtt, lastClockRead);
    }

    /** The load P2C compares; like Finagle's, it first decays the cost to now. */
    double load(int index, long now) {
        observe(index, 0.0, now);
        double c = cost[index];
        int p = pending[index];
        if (c == 0.0 && p != 0) {
            return PENALTY + p;
        }
        return c * (p + 1);
    }

    private void observe(int index, double rtt, long now) {
        double x = Math.max(now - stamp[index], 0L) * inverseTau;
        // Picks come microseconds apart against a tau of seconds: for x < 1e-4 the series 1 - x + x^2/2 equals
        // exp(-x) to 2e-13 relative and saves the cost of Math.exp on nearly every load query.
        double w = x < 1e-4 ? 1.0 - x + 0.5 * x * x : Math.exp(-x);
        double c = cost[index];
        cost[index] = rtt > c ? rtt : c * w + rtt * (1.0 - w);
        stamp[index] = now;
    }

    /** The current cost estimate of backend {@code index}, ns (tests, diagnostics on the owning loop). */
    double cost(int index) {
        return cost[index];
    }
}
