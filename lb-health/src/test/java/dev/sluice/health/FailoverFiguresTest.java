package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover figures for the release notes: three backends under GET load, one killed for
 * {@link #DOWN} and restarted. Prints client-visible errors, how long the dead backend stayed in rotation and
 * how long it took to rejoin after its restart; asserts only that no GET failed.
 */
class FailoverFiguresTest {

    /** How long the backend stays dead: the scenario's length, not a synchronisation. */
    private static final Duration DOWN = Duration.ofSeconds(3);
    private static final HealthCheckConfig CHECK = new HealthCheckConfig("http", ProxiedBackend.HEALTH_PATH,
            Duration.ofMillis(250), Duration.ofMillis(250), 2, 2, null, List.of());

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

    @Test
    void shouldLoseNoGetWhileABackendIsDownForSecondsAndRejoins() throws Exception {
        ProxiedBackend a = use(new ProxiedBackend("a"));
        ProxiedBackend b = use(new ProxiedBackend("b"));
        ProxiedBackend c = use(new ProxiedBackend("c"));
        String transport = Transport.available().get(0).configName();
        ProxyFixture proxy = use(ProxyFixture.start(ProxyFixture.config(transport, 2, ListenerLimits.defaults(),
                List.of(FailoverTest.resilientCluster(CHECK, a, b, c)), List.of(ProxyFixture.route("/", "web")))));
        HealthSupervisor health = use(HealthSupervisor.start(proxy.server()));
        ClusterRuntime web = proxy.server().cluster("web");
        Await.until("every backend proven healthy", () -> a.healthyIn(web) && b.healthyIn(web) && c.healthyIn(web));

        GetLoad load = use(GetLoad.start(proxy.address(), FailoverTest.CLIENTS));
        load.awaitMoreSuccesses(500);
        long okBefore = load.ok();
        long start = System.nanoTime();
        c.kill();
        long left = nanosUntil(() -> !c.healthyIn(web)) - start;
        String address = c.address().toString();
        Await.until("the health snapshot shows c out", () -> !health.snapshot("web").backend(address).healthy());
        BackendHealthSnapshot out = health.snapshot("web").backend(address);
        String cause = (out.ejected() ? "ejected by outlier detection" : "failed its health checks")
                + "; last: " + out.lastCause();
        waitOut(start + DOWN.toNanos());
        c.restart();
        long restarted = System.nanoTime();
        long served = c.served();
        long rejoined = nanosUntil(() -> c.healthyIn(web)) - restarted;
        long firstServed = nanosUntil(() -> c.served() > served) - restarted;
        long seconds = System.nanoTime() - start;
        load.close();

        System.out.printf("failover figures (%s, 2 loops, %d clients, check every %d ms rise/fall 2, "
                        + "outlier ejection after 3 consecutive failures for 250 ms+):%n", transport, FailoverTest.CLIENTS,
                CHECK.interval().toMillis());
        System.out.printf("  GETs answered 200 during the run: %d (%.0f/s), client-visible errors: %d%n",
                load.ok() - okBefore, (load.ok() - okBefore) / (seconds / 1e9), load.errors());
        System.out.printf("  retries: %d, retry budget refusals: %d%n",
                web.stats().snapshot().get(Counter.RETRIES), web.stats().snapshot().get(Counter.RETRY_BUDGET_EXHAUSTED));
        System.out.printf("  killed backend left rotation after %.1f ms (%s)%n", left / 1e6, cause);
        System.out.printf("  restarted after %d ms down; back in rotation %.1f ms later, first request %.1f ms later%n",
                DOWN.toMillis(), rejoined / 1e6, firstServed / 1e6);
        assertEquals(0, load.errors(), "client-visible errors: " + load.errorSamples());
        assertTrue(c.served() > served);
    }

    /** Polls {@code condition} every 0.1 ms (bounded by {@link Await#TIMEOUT}) and returns when it held. */
    private static long nanosUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + Await.TIMEOUT);
            }
            LockSupport.parkNanos(100_000);
        }
        return System.nanoTime();
    }

    private static void waitOut(long untilNanos) {
        long left;
        while ((left = untilNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }
}
