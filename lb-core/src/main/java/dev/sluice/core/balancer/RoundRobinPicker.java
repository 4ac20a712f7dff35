package dev.sluice.core.balancer;

/**
 * Smooth weighted round robin: each pick adds every ready backend's weight to its current score, takes the
 * highest score and subtracts the total weight from it. Over a cycle of W picks, backend i is chosen
 * weight(i) times, interleaved rather than in bursts. Equal weights degrade to plain rotation.
 *
 * <p>The sequence is periodic (after one cycle every score is back to zero, and scaling all weights by their
 * gcd changes no comparison), so one cycle is computed once per backend-set version, off the loops
 * ({@link #schedule}), and a pick is an array read: O(1) whatever the pool size. When a cycle would be too
 * large to precompute ({@link #MAX_SCHEDULE_WORK}), picks run the O(N) score update instead; both give the
 * same sequence.
 *
 * <p>Confined to its event loop; no allocation per pick. Retries ({@code attempt > 0}) take the next ready
 * backend after the previous choice.
 */
final class RoundRobinPicker implements Picker {

    /** Upper bound of cycle length x ready backends for a precomputed cycle (about 10 ms of work off-loop). */
    static final long MAX_SCHEDULE_WORK = 1L << 24;

    private final BackendSet set;
    private final int[] schedule;
    private final int[] current;
    private final int[] weights;
    private int cursor;
    private int last = -1;

    /** A picker that precomputes its own cycle and starts it at the beginning (tests). */
    RoundRobinPicker(BackendSet set) {
        this(set, schedule(set), 0);
    }

    /**
     * @param schedule one cycle from {@link #schedule}, shared and never written, or {@code null} to update
     *                 scores per pick
     * @param start    where in the cycle this loop begins, so loops do not all start on the same backend
     */
    RoundRobinPicker(BackendSet set, int[] schedule, int start) {
        this.set = set;
        this.schedule = schedule;
        this.cursor = schedule == null ? 0 : Math.floorMod(start, schedule.length);
        this.current = schedule == null ? new int[set.size()] : null;
        this.weights = new int[set.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = set.get(i).weight();
        }
    }

    @Override
    public int pick(PickContext ctx, int attempt) {
        int n = set.size();
        if (set.readyCount() == 0) {
            return NO_BACKEND;
        }
        if (attempt > 0 && last >= 0 && set.readyCount() > 1) {
            for (int step = 1; step <= n; step++) {
                int i = (last + step) % n;
                if (set.isReady(i)) {
                    last = i;
                    return i;
                }
            }
        }
        int chosen;
        if (schedule != null) {
            chosen = schedule[cursor];
            cursor = cursor + 1 == schedule.length ? 0 : cursor + 1;
        } else {
            chosen = step(set, current, weights);
        }
        last = chosen;
        return chosen;
    }

    /**
     * One cycle of the smooth weighted round robin over the ready backends of {@code set}, weights divided by
     * their gcd, or {@code null} when it would cost more than {@link #MAX_SCHEDULE_WORK} to compute or when no
     * backend is ready. Runs off the event loops.
     */
    static int[] schedule(BackendSet set) {
        long gcd = 0;
        long total = 0;
        for (int i = 0; i < set.size(); i++) {
            if (set.isReady(i)) {
                gcd = gcd(gcd, set.get(i).weight());
                total += set.get(i).weight();
            }
        }
        if (total == 0 || (total / gcd) * set.size() > MAX_SCHEDULE_WORK) {
            return null;
        }
        int[] reduced = new int[set.size()];
        for (int i = 0; i < reduced.length; i++) {
            reduced[i] = (int) (set.get(i).weight() / gcd);
        }
        int[] cycle = new int[(int) (total / gcd)];
        int[] scores = new int[set.size()];
        for (int k = 0; k < cycle.length; k++) {
            cycle[k] = step(set, scores, reduced);
        }
        return cycle;
    }

    private static int step(BackendSet set, int[] scores, int[] weights) {
        int best = -1;
        int total = 0;
        for (int i = 0; i < scores.length; i++) {
            if (set.isReady(i)) {
                scores[i] += weights[i];
                total += weights[i];
                if (best < 0 || scores[i] > scores[best]) {
                    best = i;
                }
            }
        }
        scores[best] -= total;
        return best;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
