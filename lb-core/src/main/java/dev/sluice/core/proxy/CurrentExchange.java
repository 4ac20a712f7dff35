package dev.sluice.core.proxy;

import dev.sluice.core.balancer.PickContext;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.stats.TrafficCounters;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;

/**
 * The exchange a client connection is in: its request head, whether a body follows and whether its last part
 * was read, when the head arrived, and the cluster it was routed to; when it ends, the accounting of its status
 * and latency. It is what pickers see of the request ({@link PickContext}) and where the filters' context finds
 * the client and the routed cluster. The current attempt's connection is the {@link UpstreamLease}'s.
 *
 * <p>Confined to the connection's event loop; one instance per connection whose fields are reset between
 * exchanges ({@link #reset}), so it allocates nothing. The {@link FrontendHandler} and its {@link RequestRouter}
 * set it as the exchange goes on; the other collaborators only read it.
 */
final class CurrentExchange implements PickContext {

    private final TrafficCounters listenerCounters;
    private InetAddress clientAddress;
    private HttpRequest request;
    private boolean requestHasBody;
    private boolean requestDone;
    private long startNanos;
    private LoopCluster cluster;
    private ClusterConfig clusterConfig;

    CurrentExchange(TrafficCounters listenerCounters) {
        this.listenerCounters = listenerCounters;
    }

    /** Binds the client's address once the connection is active. */
    void init(InetAddress clientAddress) {
        this.clientAddress = clientAddress;
    }

    /** A request head that arrived at {@code startNanos} starts the exchange; {@code hasBody} when a body follows. */
    void begin(HttpRequest request, long startNanos, boolean hasBody) {
        this.request = request;
        this.startNanos = startNanos;
        this.requestHasBody = hasBody;
    }

    /** The request head, or {@code null} between exchanges. */
    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    /** The clock reading when the request head arrived. */
    long startNanos() {
        return startNanos;
    }

    boolean requestHasBody() {
        return requestHasBody;
    }

    /** Whether the request's last part was read. */
    boolean requestDone() {
        return requestDone;
    }

    /** The request's last part was read. */
    void requestEnded() {
        requestDone = true;
    }

    /** The exchange was routed to {@code cluster}: takes the cluster's newest snapshot for its config. */
    void routeTo(LoopCluster cluster) {
        this.cluster = cluster;
        this.clusterConfig = cluster.refresh().config();
    }

    /** The cluster the exchange was routed to, or {@code null} before routing. */
    LoopCluster cluster() {
        return cluster;
    }

    /** The name of the cluster the route chose, or {@code null} before routing. */
    String routedClusterName() {
        return cluster != null ? cluster.runtime().name() : null;
    }

    /** The routed cluster's config as of routing, or {@code null} before routing. */
    ClusterConfig clusterConfig() {
        return clusterConfig;
    }

    /**
     * Counts the ended exchange's {@code status} class and latency for the listener and the routed cluster; it ended
     * at {@code nowNanos}, as {@link System#nanoTime()} reads it.
     */
    void account(int status, long nowNanos) {
        long latency = nowNanos - startNanos;
        Counter byClass = Counter.forStatus(status);
        listenerCounters.increment(byClass);
        listenerCounters.recordLatencyNanos(latency);
        if (cluster != null) {
            cluster.counters().increment(byClass);
            cluster.counters().recordLatencyNanos(latency);
        }
    }

    /** Forgets the ended exchange. */
    void reset() {
        request = null;
        requestHasBody = false;
        requestDone = false;
        cluster = null;
        clusterConfig = null;
    }
}
