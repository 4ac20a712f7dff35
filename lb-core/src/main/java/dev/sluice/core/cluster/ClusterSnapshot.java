package dev.sluice.core.cluster;

import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.balancer.Picker;
import dev.sluice.core.balancer.PickerFactory;
import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

/**
 * Everything an event loop needs to balance one cluster's requests, for one version: the backends, the
 * policy and the policy's shared state (built off the loops). Immutable; published by
 * {@link ClusterRuntime} with one volatile write.
 */
public final class ClusterSnapshot {

    private final long version;
    private final ClusterConfig config;
    private final BackendSet backends;
    private final PickerFactory<Object> factory;
    private final Object shared;

    ClusterSnapshot(long version, ClusterConfig config, BackendSet backends, PickerFactory<Object> factory, Object shared) {
        this.version = version;
        this.config = config;
        this.backends = backends;
        this.factory = factory;
        this.shared = shared;
    }

    public long version() {
        return version;
    }

    public ClusterConfig config() {
        return config;
    }

    public BackendSet backends() {
        return backends;
    }

    /** The policy's shared state, e.g. a {@code MaglevTable}; {@code null} for stateless policies. */
    public Object shared() {
        return shared;
    }

    /** Makes this version's picker for {@code loop}; call on that loop. */
    public Picker newPicker(EventLoop loop) {
        return factory.newPicker(backends, shared, loop);
    }
}
