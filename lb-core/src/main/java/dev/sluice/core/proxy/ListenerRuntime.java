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

    /**
     * Admits a new connection from {@code ip} unless a limit is reached; pair with {@link #releaseConnection}.
     * Lock-free apart from the map's insertion of a new address: a per-address counter that drops to zero is
     * retired (set to -1) before it is removed, so a concurrent admission never counts on a removed counter.
     */
    boolean tryAdmit(InetAddress ip) {
        ListenerConfig c = routing.config();
        if (connections.incrementAndGet() > c.limits().maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        int max = c.limits().maxConnectionsPerIp();
        while (true) {
            AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
            int current = n.get();
            if (current < 0) {
                perIp.remove(ip, n); // retired by a release racing with us: help remove it, then retry
                continue;
            }
            if (current >= max) {
                connections.decrementAndGet();
                return false;
            }
            if (n.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releaseConnection(InetAddress ip) {
        connections.decrementAndGet();
        AtomicInteger n = perIp.get(ip);
        while (n != null) {
            int current = n.get();
            if (current == 1 && n.compareAndSet(1, -1)) {
                perIp.remove(ip, n);
                return;
            }
            if (current > 1 && n.compareAndSet(current, current - 1)) {
                return;
            }
            if (current <= 0) {
                return; // cannot happen for an admitted connection
            }
        }
    }
}
