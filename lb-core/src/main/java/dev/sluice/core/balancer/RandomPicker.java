package dev.sluice.core.balancer;

import java.util.SplittableRandom;

/**
 * Weighted random choice over ready backends. Confined to its event loop, with its own random generator so
 * loops share nothing. A retry draws again, excluding the previous choice while another ready backend exists.
 *
 * <p>O(1) per pick with equal weights (a uniform draw over the ready list) and O(log N) with unequal ones (a
 * binary search of cumulative weights); both tables are built once per backend-set version ({@link Choices}).
 * No allocation per pick.
 */
final class RandomPicker implements Picker {

    /** Draws a retry makes before it excludes the previous choice exactly, in O(N). */
    private static final int RETRY_DRAWS = 4;

    /** The ready backends and, when weights differ, their cumulative weights. Immutable; shared by loops. */
    static final class Choices {
        final int[] ready;
        /** {@code cumulative[k]} = sum of the weights of {@code ready[0..k]}; {@code null} when weights are equal. */
        final long[] cumulative;

        Choices(BackendSet set) {
            ReadyList list = new ReadyList(set);
            this.ready = list.indexes;
            long[] sums = new long[ready.length];
            long total = 0;
            boolean equal = true;
            for (int k = 0; k < ready.length; k++) {
                int w = set.get(ready[k]).weight();
                equal &= w == set.get(ready[0]).weight();
                total += w;
                sums[k] = total;
            }
            this.cumulative = equal ? null : sums;
        }
    }

    private final BackendSet set;
    private final Choices choices;
    private final SplittableRandom random;
    private int last = -1;

    RandomPicker(BackendSet set, SplittableRandom random) {
        this(set, new Choices(set), random);
    }

    RandomPicker(BackendSet set, Choices choices, SplittableRandom random) {
        this.set = set;
        this.choices = choices;
        this.random = random;
    }

    @Override
    public int pick(PickContext ctx, int attempt) {
        int n = choices.ready.length;
        if (n == 0) {
            return NO_BACKEND;
        }
        int chosen = draw();
        if (attempt > 0 && n > 1 && chosen == last) {
            for (int i = 1; i < RETRY_DRAWS && chosen == last; i++) {
                chosen = draw();
            }
            if (chosen == last) {
                chosen = drawExcluding(last);
            }
        }
        last = chosen;
        return chosen;
    }

    private int draw() {
        int[] ready = choices.ready;
        long[] cumulative = choices.cumulative;
        if (cumulative == null) {
            return ready[random.nextInt(ready.length)];
        }
        long ticket = random.nextLong(cumulative[cumulative.length - 1]);
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) { // first k with ticket < cumulative[k]
            int mid = (lo + hi) >>> 1;
            if (ticket < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return ready[lo];
    }

    /** A weighted draw over the ready backends other than {@code exclude}; O(N), only for unlucky retries. */
    private int drawExcluding(int exclude) {
        long total = 0;
        for (int b : choices.ready) {
            total += b == exclude ? 0 : set.get(b).weight();
        }
        long ticket = random.nextLong(total);
        for (int b : choices.ready) {
            if (b != exclude) {
                ticket -= set.get(b).weight();
                if (ticket < 0) {
                    return b;
                }
            }
        }
        return exclude; // unreachable: ticket < total
    }
}
