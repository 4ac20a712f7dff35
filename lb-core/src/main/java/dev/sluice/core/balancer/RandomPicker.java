package dev.sluice.core.balancer;

import java.util.SplittableRandom;

/**
 * Weighted random choice over ready backends. Confined to its event loop, with its own random generator so
 * loops share nothing. A retry draws again, excluding the previous choice while another ready backend exists.
 */
final class RandomPicker implements Picker {

    private final BackendSet set;
    private final SplittableRandom random;
    private int last = -1;

    RandomPicker(BackendSet set, SplittableRandom random) {
        this.set = set;
        this.random = random;
    }

    @Override
    public int pick(PickContext ctx, int attempt) {
        if (set.readyCount() == 0) {
            return NO_BACKEND;
        }
        int exclude = attempt > 0 && set.readyCount() > 1 ? last : -1;
        long total = 0;
        for (int i = 0; i < set.size(); i++) {
            if (set.isReady(i) && i != exclude) {
                total += set.get(i).weight();
            }
        }
        long ticket = random.nextLong(total);
        for (int i = 0; i < set.size(); i++) {
            if (set.isReady(i) && i != exclude) {
                ticket -= set.get(i).weight();
                if (ticket < 0) {
                    last = i;
                    return i;
                }
            }
        }
        return NO_BACKEND; // unreachable: ticket < total
    }
}
