package dev.sluice.core.proxy;

import dev.sluice.core.balancer.Picker;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.proxy.ExchangeRetries.RetryReason;
import dev.sluice.core.stats.Counter;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * The attempts of the current exchange at its cluster: picks a backend for each (a retry moves off the backend
 * that just failed), takes an idle pooled connection or opens one on this loop under the cluster's circuit
 * breaker, and tells the picker and the backend's counters when each attempt starts and ends.
 *
 * <p>Confined to the connection's event loop; one instance per connection whose fields are reset between
 * exchanges ({@link #reset}). The connection an attempt goes out on is handed to the {@link FrontendHandler},
 * whose {@link UpstreamLease} holds it and whose {@link UpstreamRequestWriter} writes the request on it; a refusal
 * (no ready backend, overload, a failed connect that is not retried) goes back to it as a {@link LocalReply}.
 */
final class UpstreamAttempts {

    private final FrontendHandler owner;
    private final CurrentExchange exchange;
    private final Worker worker;
    private final ExchangeRetries retries;
    private LoopCluster cluster;
    private Picker picker;
    private ClusterConfig config;
    private long startNanos;
    private int backendIndex = Picker.NO_BACKEND;
    private UpstreamPool pool;
    private ChannelFuture pendingConnect;
    /** The pool of the attempt that failed last, which a retry avoids. */
    private UpstreamPool failedPool;
    /** The picker and the backend's counters were told of the current attempt and not yet of its end. */
    private boolean pickerOpen;
    private boolean countersOpen;

    UpstreamAttempts(FrontendHandler owner, CurrentExchange exchange, Worker worker, ExchangeRetries retries) {
        this.owner = owner;
        this.exchange = exchange;
        this.worker = worker;
        this.retries = retries;
    }

    /** The exchange that started at {@code startNanos} was routed to {@code cluster}, refreshed to {@code config}. */
    void begin(LoopCluster cluster, ClusterConfig config, long startNanos) {
        this.cluster = cluster;
        this.picker = cluster.picker();
        this.config = config;
        this.startNanos = startNanos;
    }

    /** Starts an attempt: picks a backend and hands a connection to it to the frontend, now or once connected. */
    void pickAndConnect() {
        int index = picker.pick(exchange, retries.attempt());
        if (retries.attempt() > 0) {
            index = avoidFailedBackend(index);
        }
        if (index == Picker.NO_BACKEND) {
            owner.refuseAttempt(LocalReply.NO_HEALTHY_BACKEND);
            return;
        }
        backendIndex = index;
        pool = cluster.pool(index);
        UpstreamHandler idle = pool.pollIdle();
        if (idle == null && !cluster.gate().mayConnect(pool)) {
            // Circuit breaking: refuse at once rather than queue behind a saturated backend or cluster.
            cluster.counters().increment(Counter.OVERLOADED);
            owner.refuseAttempt(LocalReply.OVERLOADED);
            return;
        }
        pool.counters().requestStarted();
        picker.onRequestStart(index);
        countersOpen = true;
        pickerOpen = true;
        if (idle != null) {
            cluster.counters().increment(Counter.UPSTREAM_REUSES);
            pool.counters().reused();
            owner.useConnection(pool, idle, true);
            return;
        }
        owner.connecting();
        cluster.counters().increment(Counter.UPSTREAM_CONNECTS);
        worker.connect(pool, (int) config.timeouts().connect().toMillis(), 64 * 1024, this);
    }

    /** Called by {@link Worker#connect} with the pending connection. */
    void connectStarted(UpstreamHandler handler, ChannelFuture future) {
        pendingConnect = future;
        if (future.isDone()) {
            onConnectComplete(handler, future);
        } else {
            future.addListener((ChannelFutureListener) f -> onConnectComplete(handler, f));
        }
    }

    private void onConnectComplete(UpstreamHandler handler, ChannelFuture future) {
        if (future != pendingConnect) {
            // The exchange ended while connecting (client gone, timeout): keep the connection for others.
            if (future.isSuccess()) {
                handler.pool().release(handler, System.nanoTime());
            }
            return;
        }
        pendingConnect = null;
        if (!future.isSuccess()) {
            cluster.counters().increment(Counter.UPSTREAM_CONNECT_FAILURES);
            endAttempt(true);
            if (owner.mayRetry(RetryReason.CONNECT_FAILURE, 0)) {
                owner.retry();
            } else {
                owner.refuseAttempt(LocalReply.UPSTREAM_CONNECT_FAILURE);
            }
            return;
        }
        owner.useConnection(pool, handler, false);
    }

    /** Forgets a connect in progress: when it completes, its connection goes to the pool for others. */
    void abandonConnect() {
        pendingConnect = null;
    }

    /** Tells the picker (if not yet told at the response head) and the backend's counters that the attempt ended. */
    void endAttempt(boolean failed) {
        tellPicker(failed);
        if (countersOpen) {
            countersOpen = false;
            pool.counters().requestEnded(failed);
        }
    }

    /** Latency for load-aware pickers: from the request start to the response head, or to the failure. */
    void tellPicker(boolean failed) {
        if (pickerOpen) {
            pickerOpen = false;
            picker.onRequestEnd(backendIndex, System.nanoTime() - startNanos, failed);
        }
    }

    /** The attempt failed and a retry was allowed: counts it and starts the next attempt. */
    void retry() {
        retries.next();
        failedPool = pool;
        // The newest set: the failed backend may have been ejected meanwhile. Pools are kept by address, so
        // the failed one is still recognised under the new version's indexes.
        cluster.refresh();
        picker = cluster.picker();
        pickAndConnect();
    }

    /**
     * A retry's pick, moved off the backend that just failed while another one is ready. Pickers keep per-loop
     * state (round robin's "next after the last pick" may be another request's pick), so {@code attempt > 0}
     * alone does not guarantee a different backend under concurrency. Bounded by the number of backends.
     */
    private int avoidFailedBackend(int index) {
        int tries = cluster.backendCount();
        while (index != Picker.NO_BACKEND && cluster.pool(index) == failedPool && tries-- > 0) {
            index = picker.pick(exchange, retries.attempt());
        }
        return index;
    }

    /** Forgets the ended exchange's attempts. */
    void reset() {
        cluster = null;
        config = null;
        picker = null;
        backendIndex = Picker.NO_BACKEND;
        pool = null;
        pendingConnect = null;
        failedPool = null;
    }
}
