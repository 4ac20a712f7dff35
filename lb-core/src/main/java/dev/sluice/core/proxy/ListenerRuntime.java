package dev.sluice.core.proxy;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.ListenerConfig;
import dev.sluice.core.route.RouteTable;
import dev.sluice.core.stats.TrafficStats;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One listener: its config and compiled routes (swapped as a pair by reload with one volatile write), its
 * bound sockets (one per event loop), its stats and its connection limits.
 *
 * <p>Routes and limits are read by event loops; {@link #update} is called by the control thread.
 * The connection limits are shared by all loops, so they use atomics, touched once per connection
 * (accept and close), never per request.
 */
public final class ListenerRuntime {

    /** Config and routes that must change together. */
    record Routing(ListenerConfig config, RouteTable<ClusterRuntime> routes) {
    }

    private final String name;
    private final TrafficStats stats;
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private volatile Routing routing;

    ListenerRuntime(ListenerConfig config, RouteTable<ClusterRuntime> routes) {
        this.name = config.name();
        this.stats = new TrafficStats(config.name());
        this.routing = new Routing(config, routes);
    }

    public String name() {
        return name;
    }

    public TrafficStats stats() {
        return stats;
    }

    public ListenerConfig config() {
        return routing.config();
    }

    Routing routing() {
        return routing;
    }

    void update(ListenerConfig config, RouteTable<ClusterRuntime> routes) {
        this.routing = new Routing(config, routes);
    }

    List<Channel> serverChannels() {
        return serverChannels;
    }

    /** Connections open now, over all loops. */
    public int openConnections() {
        return connections.get();
    }

    /** Admits a new connection from {@code ip} unless a limit is reached; pair with {@link #releaseConnection}. */
    boolean tryAdmit(InetAddress ip) {
        ListenerConfig c = routing.config();
        if (connections.incrementAndGet() > c.limits().maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() > c.limits().maxConnectionsPerIp()) {
            n.decrementAndGet();
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseConnection(InetAddress ip) {
        connections.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
