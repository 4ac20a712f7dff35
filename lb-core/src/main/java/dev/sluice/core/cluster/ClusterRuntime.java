package dev.sluice.core.cluster;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.balancer.PickerFactories;
import dev.sluice.core.balancer.PickerFactory;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.stats.BackendCounters;
import dev.sluice.core.stats.TrafficStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control-plane object of one cluster: its config, its backends' operator state and health, and the
 * {@link ClusterSnapshot} the event loops balance with.
 *
 * <p>Threading: mutators are called by control threads (admin API, reload, health checking) and serialise on
 * this object's monitor; never call them from an event loop (they resolve names and may build a Maglev
 * table). Each mutation builds a new immutable snapshot and publishes it with one volatile write; event
 * loops pick it up at their next request. Readers ({@link #snapshot()}, counters) may run on any thread.
 *
 * <p>Panic mode: every published set is built in panic mode ({@link BackendSet#ofPanic}) while fewer than
 * half of the active backends are healthy, so traffic then spreads over every active backend rather than
 * crushing the healthy few; {@link #panicsEntered()} counts the entries. With an active health check,
 * backends start unhealthy until proven ({@link #setInitiallyHealthy}); during the first probe round the
 * cluster is therefore in panic and serves from every active backend, as Envoy does.
 */
public final class ClusterRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuntime.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id = IDS.getAndIncrement();
    private final String name;
    private final TrafficStats stats;
    private final Map<String, List<BackendCounters>> backendCounters = new ConcurrentHashMap<>();
    /** Health verdicts by backend address; absent means the initial verdict. Guarded by this. */
    private final Map<String, Boolean> health = new HashMap<>();
    private final Map<HostPort, InetSocketAddress> resolved = new HashMap<>();
    private final PanicThreshold panic = new PanicThreshold(PanicThreshold.DEFAULT_PERCENT);
    private boolean initiallyHealthy = true;
    private long nextVersion = 1;
    private volatile ClusterSnapshot snapshot;

    public ClusterRuntime(ClusterConfig config) {
        this.name = config.name();
        this.stats = new TrafficStats(config.name());
        synchronized (this) {
            publish(config);
        }
    }

    /** A process-unique small integer, so each event loop can index its per-cluster state in an array. */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The current snapshot: one volatile read. */
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public ClusterConfig config() {
        return snapshot.config();
    }

    public TrafficStats stats() {
        return stats;
    }

    /** Replaces the whole config (reload). Health verdicts of backends that stay are kept. */
    public synchronized void reconfigure(ClusterConfig config) {
        publish(config);
    }

    /**
     * Whether backends without a verdict yet count as healthy. Health checking sets this to false for
     * clusters with an active check (unhealthy until proven).
     */
    public synchronized void setInitiallyHealthy(boolean healthy) {
        this.initiallyHealthy = healthy;
        publish(snapshot.config());
    }

    /**
     * Records a health verdict for {@code address} and publishes a new version when it changes readiness.
     * A verdict for an address that is not (or no longer) a backend of this cluster is ignored, so a late
     * verdict cannot resurrect state for a removed backend.
     *
     * @return whether anything changed
     */
    public synchronized boolean setHealthy(HostPort address, boolean healthy, String cause) {
        if (!hasBackend(address)) {
            return false;
        }
        Boolean before = health.put(address.toString(), healthy);
        boolean was = before != null ? before : initiallyHealthy;
        if (was == healthy) {
            return false;
        }
        LOG.info("cluster {} backend {} is now {}: {}", name, address, healthy ? "healthy" : "unhealthy", cause);
        publish(snapshot.config());
        return true;
    }

    /** Adds a backend. @throws IllegalStateException when one with the same address exists */
    public synchronized void addBackend(BackendConfig backend) {
        ClusterConfig c = snapshot.config();
        for (BackendConfig b : c.backends()) {
            if (b.address().equals(backend.address())) {
                throw new IllegalStateException("backend " + backend.address() + " already exists in cluster " + name);
            }
        }
        List<BackendConfig> list = new ArrayList<>(c.backends());
        list.add(backend);
        publish(c.withBackends(list));
    }

    /**
     * Changes a backend's weight and/or state ({@code null} leaves it).
     *
     * @return the backend before the change, or {@code null} when there is no such backend
     */
    public synchronized BackendConfig updateBackend(HostPort address, Integer weight, BackendState state) {
        ClusterConfig c = snapshot.config();
        List<BackendConfig> list = new ArrayList<>(c.backends());
        for (int i = 0; i < list.size(); i++) {
            BackendConfig b = list.get(i);
            if (b.address().equals(address)) {
                list.set(i, new BackendConfig(address, weight != null ? weight : b.weight(), state != null ? state : b.state()));
                publish(c.withBackends(list));
                return b;
            }
        }
        return null;
    }

    /**
     * Removes a backend from rotation at once; requests in flight to it finish on their connections.
     *
     * @return the removed backend, or {@code null} when there is no such backend
     */
    public synchronized BackendConfig removeBackend(HostPort address) {
        ClusterConfig c = snapshot.config();
        List<BackendConfig> list = new ArrayList<>(c.backends());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).address().equals(address)) {
                BackendConfig removed = list.remove(i);
                health.remove(address.toString());
                publish(c.withBackends(list));
                return removed;
            }
        }
        return null;
    }

    /** Switches the balancing policy. @throws IllegalArgumentException for an unknown policy */
    public synchronized void setBalancer(String balancer, String hashKey) {
        if (PickerFactories.get(balancer) == null) {
            throw new IllegalArgumentException("unknown balancer '" + balancer + "'; expected one of " + PickerFactories.names());
        }
        ClusterConfig c = snapshot.config();
        publish(c.withBalancer(balancer, hashKey != null ? hashKey : c.hashKey()));
    }

    /** Whether the current backend set was built in panic mode (see {@link #panicsEntered()}). Any thread. */
    public boolean inPanic() {
        return snapshot.backends().isPanic();
    }

    /**
     * How many times this cluster entered panic mode: fewer than half of its active backends healthy, so
     * traffic spreads over every active backend, healthy or not. Any thread; for the admin API and metrics.
     */
    public long panicsEntered() {
        return panic.entered();
    }

    /**
     * Registers one loop's counters for a backend; called once per loop per backend, on that loop (when it
     * first serves the backend, and again if the backend is removed and added back).
     *
     * <p>Order: counters are appended, so {@link #backendCounters} lists a backend's loops in the order they
     * first served it, and that order never changes; the list only grows.
     */
    public BackendCounters newBackendCounters(HostPort address) {
        BackendCounters counters = new BackendCounters();
        backendCounters.computeIfAbsent(address.toString(), k -> new CopyOnWriteArrayList<>()).add(counters);
        return counters;
    }

    /**
     * Every loop's counters for a backend (possibly empty), in a stable order: the order loops first served
     * the backend. The list only grows (a loop that first serves it later is appended). Readers only; the
     * returned list is a live copy-on-write view, safe to iterate on any thread.
     */
    public List<BackendCounters> backendCounters(HostPort address) {
        List<BackendCounters> list = backendCounters.get(address.toString());
        return list == null ? List.of() : list;
    }

    /** Requests in flight to {@code address}, summed over loops. */
    public long activeRequests(HostPort address) {
        long sum = 0;
        for (BackendCounters c : backendCounters(address)) {
            sum += c.active();
        }
        return sum;
    }

    /** The health verdict of a backend (the initial one when none was recorded). */
    public synchronized boolean isHealthy(HostPort address) {
        Boolean h = health.get(address.toString());
        return h != null ? h : initiallyHealthy;
    }

    @SuppressWarnings("unchecked")
    private void publish(ClusterConfig config) {
        List<Backend> backends = new ArrayList<>(config.backends().size());
        for (BackendConfig b : config.backends()) {
            Boolean h = health.get(b.address().toString());
            backends.add(new Backend(b.address(), resolve(b.address()), b.weight(), b.state(), h != null ? h : initiallyHealthy));
        }
        long version = nextVersion++;
        boolean panicking = panic.evaluate(backends);
        if (panicking && !snapshotInPanic()) {
            LOG.warn("cluster {} enters panic mode: fewer than {}% of its active backends are healthy; "
                    + "traffic spreads over every active backend", name, panic.percent());
        } else if (!panicking && snapshotInPanic()) {
            LOG.info("cluster {} leaves panic mode", name);
        }
        BackendSet set = panicking ? BackendSet.ofPanic(version, backends) : BackendSet.of(version, backends);
        PickerFactory<Object> factory = (PickerFactory<Object>) PickerFactories.get(config.balancer());
        if (factory == null) {
            throw new IllegalArgumentException("unknown balancer '" + config.balancer() + "' in cluster " + name);
        }
        Object shared = factory.buildShared(set, config);
        snapshot = new ClusterSnapshot(version, config, set, factory, shared);
    }

    private boolean hasBackend(HostPort address) {
        for (BackendConfig b : snapshot.config().backends()) {
            if (b.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    private boolean snapshotInPanic() {
        return snapshot != null && snapshot.backends().isPanic();
    }

    private InetSocketAddress resolve(HostPort hp) {
        // Resolution blocks, so it happens here on a control thread, once per address, never on a loop.
        return resolved.computeIfAbsent(hp, k -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(k.host()), k.port());
            } catch (UnknownHostException e) {
                LOG.warn("cluster {}: cannot resolve backend {} ({}); it will fail to connect until it resolves", name, k, e.getMessage());
                return InetSocketAddress.createUnresolved(k.host(), k.port());
            }
        });
    }
}
