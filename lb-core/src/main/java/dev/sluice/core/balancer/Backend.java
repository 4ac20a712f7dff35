package dev.sluice.core.balancer;

import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.HostPort;

import java.net.InetSocketAddress;

/**
 * One backend as seen by a {@link BackendSet} version. Immutable.
 *
 * @param address       identity and config text of the backend
 * @param socketAddress where to connect (resolved off the event loops when the set is built)
 * @param weight        relative share, at least 1
 * @param state         operator state
 * @param healthy       last verdict of health checking and outlier detection
 */
public record Backend(HostPort address, InetSocketAddress socketAddress, int weight, BackendState state, boolean healthy) {

    /** Healthy and active: may take new requests. */
    public boolean isReady() {
        return healthy && state == BackendState.ACTIVE;
    }

    public Backend withHealthy(boolean newHealthy) {
        return newHealthy == healthy ? this : new Backend(address, socketAddress, weight, state, newHealthy);
    }
}
