package dev.sluice.core.balancer;

/**
 * {@code least_request}: power of two choices on active requests. Draws two distinct random ready backends and
 * takes the one with the higher {@code weight / (active + 1)}, compared exactly as
 * {@code weightA * (activeB + 1) > weightB * (activeA + 1)} (no division, no rounding); with equal weights that
 * is simply the one with fewer active requests. A tie goes to the first draw, itself uniformly random.
 *
 * <p>Threading: confined to its event loop. It counts only the requests its own loop started
 * ({@link #onRequestStart}/{@link #onRequestEnd}); loops share nothing, at the price of each loop seeing its
 * own share of the load (with connections spread evenly by SO_REUSEPORT, that share is representative).
 *
 * <p>Allocation: none per pick or per request. Retries ({@code attempt > 0}) draw among the ready backends other
 * than this picker's previous choice while one exists.
 */
final class LeastRequestPicker implements Picker {

    private final BackendSet set;
    private final TwoChoices choices;
    private final int[] active;
    private int last = -1;

    LeastRequestPicker(BackendSet set, ReadyList ready, long seed) {
        this.set = set;
        this.choices = new TwoChoices(ready, seed);
        this.active = new int[set.size()];
    }

    @Override
    public int pick(PickContext ctx, int attempt) {
        if (!choices.draw(attempt > 0 ? last : -1)) {
            return NO_BACKEND;
        }
        int a = choices.first;
        int b = choices.second;
        long scoreA = (long) set.get(a).weight() * (active[b] + 1);
        long scoreB = (long) set.get(b).weight() * (active[a] + 1);
        int chosen = scoreB > scoreA ? b : a;
        last = chosen;
        return chosen;
    }

    @Override
    public void onRequestStart(int index) {
        if (index >= 0 && index < active.length) {
            active[index]++;
        }
    }

    @Override
    public void onRequestEnd(int index, long latencyNanos, boolean failed) {
        if (index >= 0 && index < active.length && active[index] > 0) {
            active[index]--;
        }
    }

    /** Active requests this loop counts on backend {@code index} (tests, diagnostics on the owning loop). */
    int active(int index) {
        return active[index];
    }
}
