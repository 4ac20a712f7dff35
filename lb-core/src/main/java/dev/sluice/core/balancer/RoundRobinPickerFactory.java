package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

/** {@code round_robin}: smooth weighted round robin (as NGINX does it), per event loop. */
final class RoundRobinPickerFactory implements PickerFactory<Void> {

    @Override
    public String name() {
        return "round_robin";
    }

    @Override
    public Void buildShared(BackendSet set, ClusterConfig config) {
        return null;
    }

    @Override
    public Picker newPicker(BackendSet set, Void shared, EventLoop loop) {
        return new RoundRobinPicker(set);
    }
}
