package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

import java.util.concurrent.ThreadLocalRandom;

/** {@code least_request}: power of two choices on active requests, weighted as {@code weight / (active + 1)}. */
final class LeastRequestPickerFactory implements PickerFactory<ReadyList> {

    @Override
    public String name() {
        return "least_request";
    }

    @Override
    public ReadyList buildShared(BackendSet set, ClusterConfig config) {
        return new ReadyList(set);
    }

    @Override
    public Picker newPicker(BackendSet set, ReadyList shared, EventLoop loop) {
        // A different seed per picker so loops do not draw the same pairs in lock step.
        return new LeastRequestPicker(set, shared, ThreadLocalRandom.current().nextLong());
    }
}
