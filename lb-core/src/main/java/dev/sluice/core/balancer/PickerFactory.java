package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

/**
 * A named balancing policy. Found by {@link #name()} in {@link PickerFactories}.
 *
 * @param <S> the state shared by all loops' pickers for one backend-set version (immutable), e.g. a Maglev table
 */
public interface PickerFactory<S> {

    /** The config name, e.g. {@code round_robin}. */
    String name();

    /**
     * Builds what every loop's picker shares for this backend-set version. Runs off the event loops once per
     * version, so heavy work (a Maglev table) belongs here. The result must be immutable.
     */
    S buildShared(BackendSet set, ClusterConfig config);

    /** Makes the picker for one event loop; it will only ever be called on {@code loop}. */
    Picker newPicker(BackendSet set, S shared, EventLoop loop);
}
