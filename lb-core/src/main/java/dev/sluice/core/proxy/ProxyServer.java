package dev.sluice.core.proxy;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ListenerConfig;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.core.filter.HttpFilterProvider;
import dev.sluice.core.route.RouteTable;
import dev.sluice.core.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running data plane: N event loops, one listening socket per loop and listener (SO_REUSEPORT), the
 * clusters, and the current routes and filters.
 *
 * <p>Threading: {@link #start}, {@link #apply}, {@link #drain} and {@link #close} are control-plane calls
 * (launcher, admin API, signal handlers); they serialise on this object and never run on an event loop.
 * The event loops read the published state ({@link #cluster}, {@link #filterChain}, listener routing)
 * through volatile fields, one read per request each.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    /** How long {@link #close} waits for the loops to stop before it leaves the modules to close after them. */
    static final int LOOP_STOP_WAIT_SECONDS = 5;

    private final Transport transport;
    private final EventLoopGroup group;
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, ListenerRuntime> listeners = new LinkedHashMap<>();
    private final ListenerBinder binder;
    private volatile Map<String, ClusterRuntime> clusters = Map.of();
    private volatile FilterChain filterChain = FilterChain.EMPTY;
    private volatile SluiceConfig config;
    private volatile long configVersion;
    private volatile boolean draining;

    private ProxyServer(Transport transport, int threads) {
        this.transport = transport;
        this.group = transport.newEventLoopGroup(threads, new DefaultThreadFactory("sluice-" + transport.configName()));
        for (EventExecutor e : group) {
            workers.add(new Worker((EventLoop) e, transport, this));
        }
        this.binder = new ListenerBinder(transport, workers);
    }

    /**
     * Starts the data plane for a valid config: creates the loops, builds clusters, routes and filters, and
     * binds every listener on every loop.
     *
     * @throws IllegalArgumentException when the transport cannot be used
     * @throws IllegalStateException    when a listener cannot be bound or a filter cannot be created
     */
    public static ProxyServer start(SluiceConfig config) {
        Transport transport = Transport.select(config.runtime().transport());
        ProxyServer server = new ProxyServer(transport, config.runtime().effectiveWorkers());
        try {
            server.startWorkers();
            server.apply(config);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("Sluice data plane on {} with {} event loop(s)", transport.configName(), server.workers.size());
        return server;
    }

    private void startWorkers() {
        CountDownLatch started = new CountDownLatch(workers.size());
        for (Worker w : workers) {
            w.execute(() -> {
                w.start();
                started.countDown();
            });
        }
        await(started);
    }

    /**
     * Swaps in a new config without dropping connections: clusters are updated in place (keeping health and
     * pools), new listeners are bound, removed ones stop accepting, routes and filters are replaced.
     *
     * @return the new config version
     * @throws IllegalStateException when a new listener cannot be bound or a filter cannot be created; the
     *                               old config then stays in force
     */
    public synchronized long apply(SluiceConfig next) {
        FilterChain newChain = buildFilterChain(next);
        Map<String, ClusterRuntime> newClusters = new LinkedHashMap<>();
        Map<String, ClusterRuntime> old = clusters;
        for (ClusterConfig c : next.clusters()) {
            ClusterRuntime existing = old.get(c.name());
            if (existing != null) {
                existing.reconfigure(c);
                newClusters.put(c.name(), existing);
            } else {
                newClusters.put(c.name(), new ClusterRuntime(c));
            }
        }
        List<ListenerRuntime> added = new ArrayList<>();
        try {
            for (ListenerConfig lc : next.listeners()) {
                RouteTable<ClusterRuntime> routes = RouteTable.compile(lc.routes(), newClusters::get);
                ListenerRuntime existing = listeners.get(lc.name());
                if (existing != null && existing.config().bind().equals(lc.bind())) {
                    existing.update(lc, routes);
                } else {
                    ListenerRuntime fresh = new ListenerRuntime(lc, routes);
                    binder.bind(fresh, lc.bind());
                    added.add(fresh);
                }
            }
        } catch (RuntimeException e) {
            for (ListenerRuntime l : added) {
                binder.unbind(l);
            }
            newChain.close();
            throw e;
        }
        clusters = Map.copyOf(newClusters);
        replaceListeners(next, added);
        FilterChain oldChain = filterChain;
        filterChain = newChain;
        this.config = next;
        long version = ++configVersion;
        afterSwap(new HashSet<>(newClusters.values()), oldChain);
        return version;
    }

    private void replaceListeners(SluiceConfig next, List<ListenerRuntime> added) {
        Map<String, ListenerConfig> wanted = new HashMap<>();
        for (ListenerConfig lc : next.listeners()) {
            wanted.put(lc.name(), lc);
        }
        for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            ListenerConfig lc = wanted.get(e.getKey());
            boolean replaced = added.stream().anyMatch(a -> a.name().equals(e.getKey()));
            if (lc == null || replaced) {
                binder.unbind(e.getValue()); // existing connections finish; nothing new is accepted
                it.remove();
            }
        }
        for (ListenerRuntime l : added) {
            listeners.put(l.name(), l);
            LOG.info("listener {} accepting on {}", l.name(), boundAddress(l.name()));
        }
    }

    private void afterSwap(HashSet<ClusterRuntime> live, FilterChain oldChain) {
        CountDownLatch done = new CountDownLatch(workers.size());
        for (Worker w : workers) {
            w.execute(() -> {
                w.forgetClusters(live);
                done.countDown();
            });
        }
        await(done);
        if (oldChain != filterChain && oldChain != FilterChain.EMPTY) {
            oldChain.close();
        }
    }

    private static FilterChain buildFilterChain(SluiceConfig next) {
        if (next.extensions().isEmpty()) {
            return FilterChain.EMPTY;
        }
        List<HttpFilterFactory> factories = new ArrayList<>();
        for (HttpFilterProvider provider : ServiceLoader.load(HttpFilterProvider.class)) {
            ConfigNode section = next.extensions().get(provider.section());
            if (section == null) {
                continue;
            }
            try {
                factories.add(provider.create(section, next));
            } catch (Exception e) {
                factories.forEach(HttpFilterFactory::close);
                throw new IllegalStateException("cannot start the '" + provider.section() + "' module: " + e.getMessage(), e);
            }
        }
        return new FilterChain(factories);
    }

    FilterChain filterChain() {
        return filterChain;
    }

    /** The filter factories of the current config (for admin endpoints and metrics). Any thread. */
    public List<HttpFilterFactory> filterFactories() {
        return filterChain.factories();
    }

    /** The cluster called {@code name} in the current config, or {@code null}. Any thread. */
    public ClusterRuntime cluster(String name) {
        return clusters.get(name);
    }

    public Collection<ClusterRuntime> clusters() {
        return clusters.values();
    }

    public synchronized List<ListenerRuntime> listeners() {
        return List.copyOf(listeners.values());
    }

    public Transport transport() {
        return transport;
    }

    /** How many event loops serve traffic (per-loop shares of cluster limits divide by it). */
    public int loopCount() {
        return workers.size();
    }

    /** The event loops, e.g. for a watchdog that checks they are responsive. */
    public List<EventLoop> loops() {
        List<EventLoop> loops = new ArrayList<>();
        for (Worker w : workers) {
            loops.add(w.loop());
        }
        return loops;
    }

    public SluiceConfig config() {
        return config;
    }

    public long configVersion() {
        return configVersion;
    }

    public boolean isDraining() {
        return draining;
    }

    /** The address a listener is bound to (useful with port 0), or {@code null}. */
    public synchronized InetSocketAddress boundAddress(String listener) {
        ListenerRuntime l = listeners.get(listener);
        return l == null ? null : binder.boundAddress(l);
    }

    /**
     * Graceful drain: stops accepting, lets in-flight exchanges finish (closing each connection after its
     * current response), and completes when no client connection is left or {@code timeout} passed.
     */
    public CompletableFuture<Void> drain(Duration timeout) {
        synchronized (this) {
            draining = true;
            for (ListenerRuntime l : listeners.values()) {
                binder.unbind(l);
            }
        }
        for (Worker w : workers) {
            w.execute(w::drainConnections);
        }
        return CompletableFuture.runAsync(() -> waitForConnectionsToClose(timeout));
    }

    private void waitForConnectionsToClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && openConnections() > 0) {
            try {
                Thread.sleep(20); // a control thread polling atomics; never an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int left = openConnections();
        if (left > 0) {
            LOG.warn("drain timeout reached with {} connection(s) still open; closing them", left);
        }
    }

    private synchronized int openConnections() {
        java.util.Set<ListenerRuntime> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        all.addAll(listeners.values());
        all.addAll(binder.unboundWithConnections());
        int n = 0;
        for (ListenerRuntime l : all) {
            n += l.openConnections();
        }
        return n;
    }

    /**
     * Stops the loops at once (connections are closed), then closes the filter modules. Idempotent.
     *
     * <p>A module may be read by a loop until the loop stops (the API policy reads its store's memory-mapped words
     * by address), so modules are closed only once every loop has stopped. When the loops have not stopped within
     * {@link #LOOP_STOP_WAIT_SECONDS} s, close returns with the modules still open and closes them when the last loop
     * stops; it never unmaps memory under a running loop.
     */
    @Override
    public void close() {
        synchronized (this) {
            for (ListenerRuntime l : listeners.values()) {
                binder.unbind(l);
            }
            listeners.clear();
        }
        for (Worker w : workers) {
            if (!w.loop().isShuttingDown()) {
                w.execute(w::stop);
            }
        }
        Future<?> stopped = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (stopped.awaitUninterruptibly(LOOP_STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            closeModules();
            return;
        }
        LOG.error("event loops still running {} s after the server was told to stop: filter modules stay open "
                + "until they stop", LOOP_STOP_WAIT_SECONDS);
        stopped.addListener(f -> closeModules());
    }

    /**
     * Closes the published filter modules, once however often it is called; only after the loops stopped. Until then
     * the chain stays published, so a request a loop still handles meets the same filters (an API key is checked).
     */
    private void closeModules() {
        FilterChain modules;
        synchronized (this) {
            modules = filterChain;
            filterChain = FilterChain.EMPTY;
        }
        modules.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("event loops did not respond within 30s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loops", e);
        }
    }

    @Override
    public String toString() {
        return "ProxyServer[" + transport.configName() + " x" + workers.size() + ", config v" + configVersion + "]";
    }
}
