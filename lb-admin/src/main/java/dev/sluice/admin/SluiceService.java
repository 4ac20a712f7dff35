package dev.sluice.admin;

import dev.sluice.admin.api.AdminControl;
import dev.sluice.admin.api.AdminServer;
import dev.sluice.admin.api.OverridesStore;
import dev.sluice.admin.systemd.SystemdNotifier;
import dev.sluice.admin.systemd.Watchdog;
import dev.sluice.core.config.AdminConfig;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.ListenerConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.RouteConfig;
import dev.sluice.core.config.RouteMatch;
import dev.sluice.core.config.RuntimeConfig;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.proxy.ProxyServer;
import dev.sluice.health.ClusterHealthSnapshot;
import dev.sluice.health.HealthSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One running Sluice process: the data plane, the admin API, the demo backends when there is no config file,
 * systemd notification, reload and graceful drain.
 *
 * <p>Startup order: the saved admin changes ({@link OverridesStore}) are laid over the config, the data plane
 * starts, then health checking, then the admin API; {@link #isReady} turns true only after all of them.
 *
 * <p>Threading: created and run by the main thread, which then waits for a stop; {@link #reload},
 * {@link #stop} and admin changes ({@link #underChangeLock}) come from signal handler threads and the admin
 * worker and serialise on this object. Nothing here runs on a data-plane event loop.
 */
public final class SluiceService implements AutoCloseable, AdminControl {

    private static final Logger LOG = LoggerFactory.getLogger(SluiceService.class);
    /** The embedded demo's fixed addresses (CONTRACT.md section 2). */
    static final HostPort DEMO_LISTENER = new HostPort("127.0.0.1", 8080);
    static final HostPort DEMO_ADMIN = new HostPort("127.0.0.1", 9901);

    private final Path configPath;
    private final ProxyServer server;
    private final DemoBackends demo;
    private final SystemdNotifier notifier;
    private final Watchdog watchdog;
    private final HealthSupervisor health;
    private final OverridesStore overrides;
    private final AdminServer admin;
    private volatile boolean ready;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    private SluiceService(Path configPath, SluiceConfig config, DemoBackends demo, SystemdNotifier notifier) {
        this.configPath = configPath;
        this.demo = demo;
        this.notifier = notifier;
        this.overrides = OverridesStore.open(config.runtime().stateDir());
        this.server = ProxyServer.start(overrides.applyTo(config));
        try {
            this.health = HealthSupervisor.start(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        try {
            this.admin = AdminServer.start(config.admin(), this);
        } catch (RuntimeException e) {
            health.close();
            server.close();
            throw e;
        }
        this.watchdog = notifier.startWatchdog(server.loops());
        this.ready = true;
    }

    /**
     * Starts a service without signal handling or waiting (tests, embedding).
     *
     * @throws IllegalArgumentException for an unusable config, token file or saved changes file
     * @throws IllegalStateException    when a listener or the admin API cannot bind
     */
    static SluiceService start(Path configPath, SluiceConfig config, SystemdNotifier notifier) {
        return new SluiceService(configPath, config, null, notifier);
    }

    /**
     * Runs Sluice in the foreground until SIGTERM or SIGINT, then drains and returns the exit code.
     *
     * @param configPath the config file, or {@code null} for the embedded demo
     */
    static int runUntilStopped(Path configPath) {
        // Handlers go in first: a stop signal during startup must still end in a drain and exit 0.
        StopRequest stop = new StopRequest();
        Signals.onStop(stop::request);
        SluiceConfig config;
        DemoBackends demo = null;
        if (configPath == null) {
            demo = new DemoBackends(2);
            config = demoConfig(demo.addresses());
        } else {
            config = Launcher.loadOrReport(configPath, System.err);
            if (config == null) {
                return Launcher.EXIT_CONFIG;
            }
        }
        SluiceService service;
        try {
            service = new SluiceService(configPath, config, demo, SystemdNotifier.fromEnvironment());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("sluice: " + e.getMessage());
            closeQuietly(demo);
            return Launcher.EXIT_CONFIG;
        } catch (IllegalStateException e) {
            System.err.println("sluice: " + e.getMessage());
            closeQuietly(demo);
            return Launcher.EXIT_RUNTIME;
        }
        return service.serve(stop);
    }

    private int serve(StopRequest stop) {
        // Announce before honouring a stop that arrived during startup: a drain unbinds the listeners.
        announce();
        notifier.ready(statusLine());
        stop.attach(this::stop);
        Signals.onReload(this::reloadFromSignal);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return Launcher.EXIT_OK;
    }

    private void announce() {
        for (var l : server.listeners()) {
            InetSocketAddress a = server.boundAddress(l.name());
            LOG.info("listener {} serving http://{}:{}/", l.name(), a.getHostString(), a.getPort());
        }
        InetSocketAddress a = admin.boundAddress();
        LOG.info("admin API at http://{}:{}/api/v1/clusters", a.getHostString(), a.getPort());
        if (demo != null) {
            System.out.println("Sluice demo: try  curl -s http://" + DEMO_LISTENER + "/  (two demo backends answer in turn)");
        }
    }

    private String statusLine() {
        return "serving " + server.listeners().size() + " listener(s) on " + server.transport().configName()
                + " x" + server.loops().size() + ", config v" + server.configVersion();
    }

    @Override
    public ProxyServer server() {
        return server;
    }

    /** Health checking and outlier detection of every cluster that configures them. */
    public HealthSupervisor health() {
        return health;
    }

    @Override
    public Map<String, ClusterHealthSnapshot> healthSnapshots() {
        return health.snapshot();
    }

    @Override
    public OverridesStore overrides() {
        return overrides;
    }

    /** True once the data plane, health checking and admin API run; false again once a drain starts. */
    @Override
    public boolean isReady() {
        return ready && !stopping && !server.isDraining();
    }

    @Override
    public synchronized <T> T underChangeLock(Supplier<T> change) {
        return change.get();
    }

    /** Where the admin API listens. */
    public InetSocketAddress adminAddress() {
        return admin.boundAddress();
    }

    /** The config file, or {@code null} when running the embedded demo. */
    public Path configPath() {
        return configPath;
    }

    /**
     * Re-reads the config file, lays the saved admin changes over it and swaps it in without dropping
     * connections.
     *
     * @return the new config version
     * @throws ConfigException when the file is invalid; the old config stays in force
     * @throws IllegalStateException when there is no config file (demo) or a new listener cannot bind
     */
    @Override
    public synchronized long reload() throws ConfigException {
        if (configPath == null) {
            throw new IllegalStateException("the embedded demo has no config file to reload");
        }
        notifier.reloading();
        try {
            SluiceConfig next = overrides.applyTo(ConfigLoader.load(configPath));
            long version = server.apply(next);
            health.reconcile(); // start, stop or restart checks for clusters the reload changed
            LOG.info("reloaded {}: config v{}", configPath, version);
            return version;
        } finally {
            notifier.ready(statusLine());
        }
    }

    private void reloadFromSignal() {
        try {
            reload();
        } catch (ConfigException e) {
            LOG.error("reload refused, keeping config v{}:\n{}", server.configVersion(), e.getMessage());
        } catch (IllegalStateException e) {
            LOG.error("reload refused, keeping config v{}: {}", server.configVersion(), e.getMessage());
        }
    }

    /** Starts a graceful drain and lets {@link #serve} return once it is done. Idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        Duration timeout = server.config().runtime().drainTimeout();
        LOG.info("draining (up to {})", timeout);
        notifier.stopping();
        server.drain(timeout).whenComplete((v, e) -> stopped.countDown());
    }

    public boolean isStopping() {
        return stopping;
    }

    @Override
    public void close() {
        ready = false;
        admin.close();
        watchdog.close();
        health.close();
        server.close();
        closeQuietly(demo);
        notifier.close();
    }

    private static void closeQuietly(DemoBackends demo) {
        if (demo != null) {
            demo.close();
        }
    }

    /** The embedded demo: one listener on 127.0.0.1:8080 over two demo backends, round robin. */
    static SluiceConfig demoConfig(List<InetSocketAddress> backends) {
        List<BackendConfig> list = new ArrayList<>();
        for (InetSocketAddress a : backends) {
            list.add(new BackendConfig(new HostPort(a.getHostString(), a.getPort()), 1));
        }
        ClusterConfig demo = ClusterConfig.simple("demo", "round_robin", list);
        ListenerConfig listener = new ListenerConfig("demo", DEMO_LISTENER, ListenerLimits.defaults(),
                List.of(new RouteConfig(RouteMatch.any(), "demo")));
        // A fresh state directory: the demo backends get new ports each run, so changes from an earlier run
        // would name backends that no longer exist.
        Path state;
        try {
            state = Files.createTempDirectory("sluice-demo");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's state directory: " + e.getMessage(), e);
        }
        // One loop: successive connections then see one round-robin sequence, so the demo visibly alternates.
        RuntimeConfig runtime = new RuntimeConfig(1, "auto", Duration.ofSeconds(5), state);
        return new SluiceConfig(null, runtime, new AdminConfig(DEMO_ADMIN, null), List.of(listener), List.of(demo), Map.of());
    }

    /** A stop signal that may arrive before the service exists; it then acts as soon as the service does. */
    private static final class StopRequest {
        private Runnable action;
        private boolean requested;

        synchronized void request() {
            requested = true;
            if (action != null) {
                action.run();
            }
        }

        synchronized void attach(Runnable stopAction) {
            action = stopAction;
            if (requested) {
                stopAction.run();
            }
        }
    }

    /** Waits up to {@code timeout} for the service to stop (tests). */
    boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }
}
