package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code round_robin}: smooth weighted round robin (as NGINX does it), per event loop. The shared state is one
 * precomputed cycle of the sequence (immutable; {@code null} when too large to precompute).
 */
final class RoundRobinPickerFactory implements PickerFactory<int[]> {

    @Override
    public String name() {
        return "round_robin";
    }

    @Override
    public int[] buildShared(BackendSet set, ClusterConfig config) {
        return RoundRobinPicker.schedule(set);
    }

    @Override
    public Picker newPicker(BackendSet set, int[] shared, EventLoop loop) {
        int start = shared == null ? 0 : ThreadLocalRandom.current().nextInt(shared.length);
        return new RoundRobinPicker(set, shared, start);
    }
}
