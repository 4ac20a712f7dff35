package dev.sluice.core.proxy;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.stats.TrafficCounters;
import dev.sluice.core.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.NoopAddressResolverGroup;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything one event loop owns: its view of each cluster (pickers and connection pools), its filter
 * instances, its deadline wheel, its per-listener counters and its open client connections.
 *
 * <p>Confined to {@link #loop()}: every method must be called on that loop, except {@link #execute}.
 * Nothing here is shared with another loop, which is what lets pools and pickers work without locks.
 */
final class Worker {

    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop loop;
    private final ProxyServer server;
    private final Bootstrap upstreamBootstrap;
    private final DeadlineWheel wheel = new DeadlineWheel(System.nanoTime());
    private final RequestIds requestIds = new RequestIds();
    private final Map<ListenerRuntime, TrafficCounters> listenerCounters = new HashMap<>();
    private final Set<FrontendHandler> connections = new HashSet<>();
    private LoopCluster[] clusters = new LoopCluster[8];
    private FilterChain filterChain;
    private HttpFilter[] filters;
    private ScheduledFuture<?> sweeper;

    Worker(EventLoop loop, Transport transport, ProxyServer server) {
        this.loop = loop;
        this.server = server;
        this.upstreamBootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelClass())
                // Names are resolved off the loops when a backend set is built; never block a loop on DNS.
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    }

    EventLoop loop() {
        return loop;
    }

    ProxyServer server() {
        return server;
    }

    DeadlineWheel wheel() {
        return wheel;
    }

    RequestIds requestIds() {
        return requestIds;
    }

    /** Runs {@code task} on this worker's loop; callable from any thread. */
    void execute(Runnable task) {
        loop.execute(task);
    }

    void start() {
        wheel.start(loop);
        sweeper = loop.scheduleAtFixedRate(this::sweepIdle, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
    }

    void stop() {
        wheel.stop();
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    /** This loop's view of {@code runtime}, created on first use. */
    LoopCluster cluster(ClusterRuntime runtime) {
        int id = runtime.id();
        if (id >= clusters.length) {
            clusters = Arrays.copyOf(clusters, Math.max(id + 1, clusters.length * 2));
        }
        LoopCluster lc = clusters[id];
        if (lc == null) {
            lc = new LoopCluster(runtime, loop, server.loopCount());
            clusters[id] = lc;
        }
        return lc;
    }

    /** Drops the views of clusters that a reload removed, closing their idle connections. */
    void forgetClusters(Set<ClusterRuntime> live) {
        for (int i = 0; i < clusters.length; i++) {
            LoopCluster lc = clusters[i];
            if (lc != null && !live.contains(lc.runtime())) {
                lc.retire();
                clusters[i] = null;
            }
        }
    }

    /** The filters of the current config version for this loop (rebuilt only when the version changes). */
    HttpFilter[] filters() {
        FilterChain current = server.filterChain();
        if (current != filterChain) {
            filters = current.newFilters(loop);
            filterChain = current;
        }
        return filters;
    }

    TrafficCounters listenerCounters(ListenerRuntime listener) {
        return listenerCounters.computeIfAbsent(listener, l -> l.stats().newLoopCounters());
    }

    /** Opens a connection to {@code pool}'s backend on this loop. */
    UpstreamHandler connect(UpstreamPool pool, int connectTimeoutMillis, int maxResponseHeaderBytes,
                            UpstreamAttempts listener) {
        UpstreamHandler handler = new UpstreamHandler(pool, maxResponseHeaderBytes);
        // The bootstrap is confined to this loop and connect() installs the handler synchronously,
        // so setting per-connection options on the shared template is safe.
        upstreamBootstrap.handler(handler).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        ChannelFuture f = upstreamBootstrap.connect(pool.backend().socketAddress());
        pool.track(f);
        listener.connectStarted(handler, f);
        return handler;
    }

    void register(FrontendHandler connection) {
        connections.add(connection);
    }

    void unregister(FrontendHandler connection) {
        connections.remove(connection);
    }

    int connectionCount() {
        return connections.size();
    }

    /**
     * Whether the server is draining: set when the drain starts, before the listeners close and before this loop
     * runs {@link #drainConnections}, so that a response the loop relays in between already closes its connection.
     */
    boolean isDraining() {
        return server.isDraining();
    }

    /** Asks every connection on this loop to close once its current exchange is done; idle ones close now. */
    void drainConnections() {
        for (FrontendHandler c : connections.toArray(new FrontendHandler[0])) {
            c.drain();
        }
    }

    private void sweepIdle() {
        long now = System.nanoTime();
        for (LoopCluster lc : clusters) {
            if (lc != null) {
                lc.closeIdle(now);
            }
        }
    }
}
