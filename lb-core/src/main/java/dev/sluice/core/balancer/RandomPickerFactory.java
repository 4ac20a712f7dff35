package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

/** {@code random}: weighted random choice over ready backends. */
final class RandomPickerFactory implements PickerFactory<RandomPicker.Choices> {

    @Override
    public String name() {
        return "random";
    }

    @Override
    public RandomPicker.Choices buildShared(BackendSet set, ClusterConfig config) {
        return new RandomPicker.Choices(set);
    }

    @Override
    public Picker newPicker(BackendSet set, RandomPicker.Choices shared, EventLoop loop) {
        return new RandomPicker(set, shared, new java.util.SplittableRandom());
    }
}
