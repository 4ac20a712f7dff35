package dev.sluice.core.testing;

import dev.sluice.core.config.AdminConfig;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.ListenerConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.RouteConfig;
import dev.sluice.core.config.RouteMatch;
import dev.sluice.core.config.RuntimeConfig;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.proxy.ProxyServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running Sluice data plane for integration tests: one listener {@code test} on loopback port 0, built
 * from clusters and routes given in code.
 */
public final class ProxyFixture implements AutoCloseable {

    private final ProxyServer server;

    private ProxyFixture(ProxyServer server) {
        this.server = server;
    }

    public static ProxyFixture start(SluiceConfig config) {
        return new ProxyFixture(ProxyServer.start(config));
    }

    /** One cluster {@code web} over the backends, every request routed to it. */
    public static ProxyFixture start(String transport, int loops, TestBackend... backends) {
        return start(config(transport, loops, ListenerLimits.defaults(),
                List.of(cluster("web", "round_robin", backends)), List.of(route(null, "web"))));
    }

    public static SluiceConfig config(String transport, int loops, ListenerLimits limits,
                                      List<ClusterConfig> clusters, List<RouteConfig> routes) {
        RuntimeConfig runtime = new RuntimeConfig(loops, transport, Duration.ofSeconds(5), Path.of("target/state"));
        ListenerConfig listener = new ListenerConfig("test", new HostPort("127.0.0.1", 0), limits, routes);
        return new SluiceConfig(null, runtime, AdminConfig.defaults(), List.of(listener), clusters, Map.of());
    }

    public static ClusterConfig cluster(String name, String balancer, TestBackend... backends) {
        List<BackendConfig> list = new ArrayList<>();
        for (TestBackend b : backends) {
            list.add(new BackendConfig(b.address(), 1));
        }
        return ClusterConfig.simple(name, balancer, list);
    }

    public static RouteConfig route(String pathPrefix, String cluster) {
        return new RouteConfig(new RouteMatch(null, pathPrefix, null, Map.of()), cluster);
    }

    public ProxyServer server() {
        return server;
    }

    public InetSocketAddress address() {
        return server.boundAddress("test");
    }

    public RawHttpClient client() throws IOException {
        return new RawHttpClient(address());
    }

    public RawHttpClient client(int timeoutMillis) throws IOException {
        return new RawHttpClient(address(), timeoutMillis);
    }

    @Override
    public void close() {
        server.close();
    }
}
