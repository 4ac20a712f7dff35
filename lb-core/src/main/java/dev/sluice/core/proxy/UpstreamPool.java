package dev.sluice.core.proxy;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.stats.BackendCounters;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayDeque;

/**
 * Idle keep-alive connections to one backend, on one event loop.
 *
 * <p>Confined to its loop: no locks, no atomics. Connections are reused last-in-first-out (the warmest
 * first, so surplus connections age out); an idle connection is closed after the cluster's idle timeout.
 * A connection comes back only after a cleanly framed exchange; anything doubtful is closed instead.
 */
final class UpstreamPool {

    private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();
    private final BackendCounters counters;
    /** One listener for every connection's close: registering it allocates nothing per connection. */
    private final ChannelFutureListener onClose = f -> this.connections--;
    private final ChannelFutureListener onConnectDone;
    private final ClusterGate gate;
    private Backend backend;
    private boolean retired;
    /** Connections to the backend on this loop, open or opening (for {@code max_connections_per_backend}). */
    private int connections;

    /** @param gate the circuit breaker of the pool's cluster on this loop, told of connects in progress */
    UpstreamPool(Backend backend, BackendCounters counters, ClusterGate gate) {
        this.backend = backend;
        this.counters = counters;
        this.gate = gate;
        this.onConnectDone = f -> gate.pendingEnded();
    }

    Backend backend() {
        return backend;
    }

    /** The backend's config may change (weight, state) while its pool stays. */
    void update(Backend newBackend) {
        this.backend = newBackend;
    }

    BackendCounters counters() {
        return counters;
    }

    /**
     * Counts a connection being opened to the backend: as a connection until its channel closes (a failed
     * connect closes it too), and as a pending request of the cluster until the connect completes. Called on
     * this loop when the connect starts, before anyone else listens to {@code connect}, so the pending count
     * is already down when the connect's other listeners run (a retry may then connect again at once).
     */
    void track(ChannelFuture connect) {
        connections++;
        gate.pendingStarted();
        connect.addListener(onConnectDone);
        connect.channel().closeFuture().addListener(onClose);
    }

    /** Connections to the backend on this loop, open or opening. */
    int connections() {
        return connections;
    }

    /** An idle, open connection, or {@code null} when a new one must be opened. */
    UpstreamHandler pollIdle() {
        UpstreamHandler c;
        while ((c = idle.pollLast()) != null) {
            if (c.isActive()) {
                return c;
            }
        }
        return null;
    }

    /** Takes back a connection after a clean exchange; closes it when the pool is retired. */
    void release(UpstreamHandler connection, long nowNanos) {
        if (retired || !connection.isActive()) {
            connection.close();
            return;
        }
        connection.markIdle(nowNanos);
        idle.addLast(connection);
    }

    /** Forgets a connection that closed while idle. */
    void onIdleClosed(UpstreamHandler connection) {
        idle.remove(connection);
    }

    /** Closes connections idle for longer than {@code idleNanos}; the oldest sit at the head. */
    void closeIdleOlderThan(long nowNanos, long idleNanos) {
        UpstreamHandler c;
        while ((c = idle.peekFirst()) != null && nowNanos - c.idleSinceNanos() >= idleNanos) {
            idle.pollFirst();
            c.close();
        }
    }

    /** The backend left the cluster: close idle connections now and busy ones when they come back. */
    void retire() {
        retired = true;
        UpstreamHandler c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }

    int idleCount() {
        return idle.size();
    }
}
