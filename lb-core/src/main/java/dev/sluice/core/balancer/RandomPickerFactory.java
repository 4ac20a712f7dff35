package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

/** {@code random}: weighted random choice over ready backends. */
final class RandomPickerFactory implements PickerFactory<Void> {

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Void buildShared(BackendSet set, ClusterConfig config) {
        return null;
    }

    @Override
    public Picker newPicker(BackendSet set, Void shared, EventLoop loop) {
        return new RandomPicker(set, new java.util.SplittableRandom());
    }
}
