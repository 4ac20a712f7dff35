package dev.sluice.core.balancer;

/**
 * Smooth weighted round robin: each pick adds every ready backend's weight to its current score, takes the
 * highest score and subtracts the total weight from it. Over a cycle of W picks, backend i is chosen
 * weight(i) times, interleaved rather than in bursts. Equal weights degrade to plain rotation.
 *
 * <p>Confined to its event loop; no allocation per pick. O(N) per pick, which is fine for the pool sizes an
 * L7 cluster has; retries ({@code attempt > 0}) take the next ready backend after the previous choice.
 */
final class RoundRobinPicker implements Picker {

    private final BackendSet set;
    private final int[] current;
    private int last = -1;

    RoundRobinPicker(BackendSet set) {
        this.set = set;
        this.current = new int[set.size()];
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
        int total = 0;
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (!set.isReady(i)) {
                continue;
            }
            int w = set.get(i).weight();
            current[i] += w;
            total += w;
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= total;
        last = best;
        return best;
    }
}
