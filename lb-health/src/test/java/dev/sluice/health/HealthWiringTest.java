package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ClusterLimits;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.OutlierConfig;
import dev.sluice.core.config.RetryConfig;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.config.Timeouts;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.core.testing.TestClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health checking wired into a running proxy: what the data plane does with the verdicts. */
class HealthWiringTest {

    static final HealthCheckConfig CHECK = new HealthCheckConfig("http", ProxiedBackend.HEALTH_PATH,
            Duration.ofMillis(100), Duration.ofMillis(500), 2, 2, null, List.of());

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

    private static ClusterConfig cluster(String name, HealthCheckConfig check, OutlierConfig outliers,
                                         RetryConfig retries, ProxiedBackend... backends) {
        TestBackend[] plain = new TestBackend[backends.length];
        for (int i = 0; i < backends.length; i++) {
            plain[i] = backends[i].backend();
        }
        return TestClusters.with(ProxyFixture.cluster(name, "round_robin", plain), check, outliers, retries,
                ClusterLimits.defaults());
    }

    private ProxyFixture proxy(String transport, int loops, ClusterConfig... clusters) {
        return use(ProxyFixture.start(config(transport, loops, clusters)));
    }

    private static SluiceConfig config(String transport, int loops, ClusterConfig... clusters) {
        List<ClusterConfig> list = List.of(clusters);
        return ProxyFixture.config(transport, loops, ListenerLimits.defaults(), list,
                List.of(ProxyFixture.route("/", list.get(0).name())));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldKeepAFailingBackendOutOfRotationUntilItsCheckPassesAgain(String transport, int loops) throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b"));
        ProxiedBackend c = use(new ProxiedBackend("c")).healthAnswers(503);
        ProxyFixture proxy = proxy(transport, loops, cluster("web", CHECK, null, null, a, b, c));
        HealthSupervisor health = use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime web = proxy.server().cluster("web");
        Await.until("a and b proven healthy", () -> a.healthyIn(web) && b.healthyIn(web));
        assertFalse(c.healthyIn(web));
        assertFalse(web.inPanic());

        RawHttpClient client = use(proxy.client());
        long before = c.served();
        for (int i = 0; i < 12; i++) {
            assertEquals(200, client.get("/").status());
        }
        assertEquals(before, c.served(), "an unhealthy backend gets no traffic");

        c.healthAnswers(200);
        Await.until("c back in rotation after rise passing checks", () -> c.healthyIn(web));
        for (int i = 0; i < 12; i++) {
            assertEquals(200, client.get("/").status());
        }
        assertTrue(c.served() > before, "a recovered backend serves again");
        BackendHealthSnapshot cHealth = health.snapshot("web").backend(c.address().toString());
        assertTrue(cHealth.healthy());
        assertEquals(1, cHealth.flips(), "unhealthy from the start, one flip to healthy");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldEjectABackendThatAcceptsButNeverAnswers(String transport, int loops) throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b"));
        ProxiedBackend c = use(new ProxiedBackend("c")).silent(true);
        ClusterConfig web = cluster("web", null, new OutlierConfig(3, Duration.ofSeconds(30), 50),
                new RetryConfig(2, Set.of("timeout", "connect_failure", "reset"), 20), a, b, c)
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(60)));
        ProxyFixture proxy = proxy(transport, loops, web);
        HealthSupervisor health = use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime runtime = proxy.server().cluster("web");

        RawHttpClient client = use(proxy.client());
        int sent = 0;
        while (c.healthyIn(runtime)) {
            assertEquals(200, client.get("/").status(), "a timed-out GET is retried on another backend");
            assertTrue(++sent < 200, "c should be ejected after 3 timeouts");
        }
        BackendHealthSnapshot cHealth = health.snapshot("web").backend(c.address().toString());
        assertTrue(cHealth.ejected(), cHealth.toString());
        assertEquals(1, cHealth.ejections());
        long served = c.served();
        for (int i = 0; i < 9; i++) {
            assertEquals(200, client.get("/").status());
        }
        assertEquals(served, c.served(), "an ejected backend gets no traffic");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldSpreadTrafficOverEveryActiveBackendInPanic(String transport, int loops) throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b")).healthAnswers(503);
        ProxiedBackend c = use(new ProxiedBackend("c")).healthAnswers(503);
        ProxyFixture proxy = proxy(transport, loops, cluster("web", CHECK, null, null, a, b, c));
        HealthSupervisor health = use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime web = proxy.server().cluster("web");
        Await.until("a proven healthy, b and c failing their checks", () -> a.healthyIn(web)
                && probesFailed(health, b) >= 2 && probesFailed(health, c) >= 2);
        assertTrue(web.inPanic(), "1 of 3 healthy is below half");
        assertEquals(3, web.snapshot().backends().readyCount());
        assertTrue(web.panicsEntered() >= 1);

        RawHttpClient client = use(proxy.client());
        long bBefore = b.served();
        long cBefore = c.served();
        for (int i = 0; i < 12; i++) {
            assertEquals(200, client.get("/").status());
        }
        assertTrue(b.served() > bBefore && c.served() > cBefore, "unhealthy backends share the load in panic");

        b.healthAnswers(200);
        Await.until("b back, so 2 of 3 healthy", () -> b.healthyIn(web));
        assertFalse(web.inPanic());
        long cNow = c.served();
        for (int i = 0; i < 12; i++) {
            assertEquals(200, client.get("/").status());
        }
        assertEquals(cNow, c.served(), "out of panic, the unhealthy backend is skipped again");
    }

    private static boolean checkedHealthy(HealthSupervisor health, ProxiedBackend backend) {
        ClusterHealthSnapshot s = health.snapshot("web");
        BackendHealthSnapshot b = s == null ? null : s.backend(backend.address().toString());
        return b != null && b.healthy();
    }

    private static long probesFailed(HealthSupervisor health, ProxiedBackend backend) {
        ClusterHealthSnapshot s = health.snapshot("web");
        BackendHealthSnapshot b = s == null ? null : s.backend(backend.address().toString());
        return b == null ? 0 : b.probeFailures();
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldFollowReloadsStartingStoppingAndRestartingChecks(String transport, int loops) throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b")).healthAnswers(503);
        ProxiedBackend x = use(new ProxiedBackend("x"));
        ClusterConfig checked = cluster("web", CHECK, null, null, a, b);
        ClusterConfig api = cluster("api", null, null, null, x);
        ProxyFixture proxy = proxy(transport, loops, checked, api);
        HealthSupervisor health = use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime web = proxy.server().cluster("web");
        assertEquals(Set.of("web"), health.snapshot().keySet());
        Await.until("a proven healthy, b failing", () -> a.healthyIn(web) && probesFailed(health, b) >= 2);
        assertFalse(b.healthyIn(web));

        ClusterConfig slower = cluster("web", new HealthCheckConfig("http", ProxiedBackend.HEALTH_PATH,
                Duration.ofMillis(150), Duration.ofMillis(500), 2, 2, null, List.of()), null, null, a, b);
        ClusterConfig watchedApi = cluster("api", null, new OutlierConfig(5, Duration.ofSeconds(30), 50), null, x);
        proxy.server().apply(config(transport, loops, slower, watchedApi));
        health.reconcile();
        assertEquals(Set.of("web", "api"), health.snapshot().keySet());
        Await.until("the restarted check proves a again", () -> a.healthyIn(web) && checkedHealthy(health, a));

        proxy.server().apply(config(transport, loops, cluster("web", null, null, null, a, b), watchedApi));
        health.reconcile();
        assertEquals(Set.of("api"), health.snapshot().keySet());
        assertNull(health.snapshot("web"));
        Await.until("checks off: every backend healthy again", () -> a.healthyIn(web) && b.healthyIn(web));

        proxy.server().apply(config(transport, loops, cluster("web", null, null, null, a, b)));
        health.reconcile();
        assertTrue(health.snapshot().isEmpty());
        assertNotNull(proxy.server().cluster("web"));
    }
}
