package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ClusterLimits;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.OutlierConfig;
import dev.sluice.core.config.RetryConfig;
import dev.sluice.core.config.Timeouts;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.core.testing.TestClusters;
import dev.sluice.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backends dying under load behind the proxy: GETs must never fail for the client, thanks to retries on
 * another backend while health checking and outlier detection take the dead one out of rotation.
 */
class FailoverTest {

    /** Retries for every way a dying backend can fail a request. */
    static final RetryConfig RETRIES = new RetryConfig(2, Set.of("connect_failure", "reset", "timeout", "503"), 20);
    static final OutlierConfig OUTLIERS = new OutlierConfig(3, Duration.ofMillis(250), 50);
    /** Fewer clients than the retry budget's floor: every failed attempt may be retried. */
    static final int CLIENTS = 3;

    private final List<AutoCloseable> resources = new ArrayList<>();

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    static ClusterConfig resilientCluster(HealthCheckConfig check, ProxiedBackend... backends) {
        TestBackend[] plain = new TestBackend[backends.length];
        for (int i = 0; i < backends.length; i++) {
            plain[i] = backends[i].backend();
        }
        return TestClusters.with(ProxyFixture.cluster("web", "round_robin", plain)
                        .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60))),
                check, OUTLIERS, RETRIES, ClusterLimits.defaults());
    }

    private ProxyFixture proxy(String transport, int loops, ClusterConfig cluster) {
        return use(ProxyFixture.start(ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(cluster), List.of(ProxyFixture.route("/", "web")))));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldServeEveryGetWhileABackendIsKilledUnderLoad(String transport, int loops) throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b"));
        ProxiedBackend c = use(new ProxiedBackend("c"));
        ProxyFixture proxy = proxy(transport, loops, resilientCluster(HealthWiringTest.CHECK, a, b, c));
        use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime web = proxy.server().cluster("web");
        Await.until("every backend proven healthy", () -> a.healthyIn(web) && b.healthyIn(web) && c.healthyIn(web));

        GetLoad load = use(GetLoad.start(proxy.address(), CLIENTS));
        load.awaitMoreSuccesses(300);
        assertTrue(c.served() > 0, "c took its share before it died");
        c.kill();
        Await.until("c out of rotation", () -> !c.healthyIn(web));
        load.awaitMoreSuccesses(300);
        load.close();
        assertEquals(0, load.errors(), "client-visible errors: " + load.errorSamples());
    }

    @Test
    void shouldServeEveryGetWhileABackendFlaps() throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b"));
        ProxiedBackend c = use(new ProxiedBackend("c"));
        ProxyFixture proxy = proxy(Transport.available().get(0).configName(), 2,
                resilientCluster(HealthWiringTest.CHECK, a, b, c));
        HealthSupervisor health = use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime web = proxy.server().cluster("web");
        Await.until("every backend proven healthy", () -> a.healthyIn(web) && b.healthyIn(web) && c.healthyIn(web));

        GetLoad load = use(GetLoad.start(proxy.address(), CLIENTS));
        int cycles = 3;
        for (int i = 0; i < cycles; i++) {
            load.awaitMoreSuccesses(100);
            c.kill();
            Await.until("c out of rotation, cycle " + i, () -> !c.healthyIn(web));
            load.awaitMoreSuccesses(100);
            c.restart();
            Await.until("c back in rotation, cycle " + i, () -> c.healthyIn(web));
        }
        long served = c.served();
        load.awaitMoreSuccesses(100);
        load.close();
        assertEquals(0, load.errors(), "client-visible errors: " + load.errorSamples());
        assertTrue(c.served() > served, "c serves again after its last restart");
        long flips = health.snapshot("web").backend(c.address().toString()).flips();
        assertEquals(1 + 2 * cycles, flips, "proven once, then out and back in every cycle");
    }
}
