package dev.sluice.core.balancer;

/**
 * Draws two distinct random ready backends for power-of-two-choices pickers (Mitzenmacher 2001): the first
 * uniformly among the candidates, the second uniformly among the rest, so neither is biased.
 *
 * <p>Confined to its picker's event loop. Allocation-free: {@link #draw} leaves its answer in {@link #first}
 * and {@link #second}. The generator is SplitMix64 over a per-picker seed, so loops share no random state
 * and tests can fix the sequence.
 */
final class TwoChoices {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final ReadyList ready;
    private long state;
    /** The first candidate of the last {@link #draw}, a set index. */
    int first;
    /** The second candidate; equal to {@link #first} when only one backend was eligible. */
    int second;

    TwoChoices(ReadyList ready, long seed) {
        this.ready = ready;
        this.state = seed;
    }

    /**
     * Draws two distinct ready backends other than {@code exclude} (a set index, or -1 for none). When the
     * exclusion would leave no candidate, it is ignored; when one candidate remains, both answers are it.
     *
     * @return false when no backend is ready at all
     */
    boolean draw(int exclude) {
        int[] indexes = ready.indexes;
        int n = indexes.length;
        if (n == 0) {
            return false;
        }
        int skipped = exclude >= 0 && n > 1 ? ready.positions[exclude] : -1;
        int candidates = skipped >= 0 ? n - 1 : n;
        if (candidates == 1) {
            int only = skipped == 0 ? 1 : 0;
            first = indexes[only];
            second = first;
            return true;
        }
        int a = nextInt(candidates);
        int b = nextInt(candidates - 1);
        if (b >= a) {
            b++; // the second draw ranges over the candidates without a: distinct and unbiased
        }
        if (skipped >= 0) {
            a = a >= skipped ? a + 1 : a; // positions past the excluded one shift up by one
            b = b >= skipped ? b + 1 : b;
        }
        first = indexes[a];
        second = indexes[b];
        return true;
    }

    /** Uniform in [0, bound) by multiply-shift (Lemire); the bias is below bound / 2^32, irrelevant here. */
    private int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    private long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
