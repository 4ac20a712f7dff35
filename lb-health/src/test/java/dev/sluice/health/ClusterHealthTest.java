package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.balancer.Backend;
import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.OutlierConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How active verdicts and outlier ejections combine into what the target is told, on a real health loop with a
 * fake clock, a scripted check and scripted failure counters (no network).
 */
class ClusterHealthTest {

    private static final long SECOND = 1_000_000_000L;
    private static final HostPort A = new HostPort("10.0.0.1", 80);
    private static final HostPort B = new HostPort("10.0.0.2", 80);
    private static final OutlierConfig OUTLIERS = new OutlierConfig(5, Duration.ofSeconds(30), 100);
    private static final HealthCheckConfig CHECK = new HealthCheckConfig("http", "/", Duration.ofMillis(5),
            Duration.ofSeconds(1), 1, 1, null, List.of());

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final FakeFailures failures = new FakeFailures(2);
    private final ScriptedCheck check = new ScriptedCheck();

    @AfterEach
    void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldEjectAfterConsecutiveFailuresAndReturnWhenTheEjectionEnds() {
        RecordingTarget target = new RecordingTarget(backend(A, true), backend(B, true));
        ClusterHealth health = start(target, null, OUTLIERS);
        failures.fail(A, 0, 3).fail(A, 1, 2);
        assertEquals(new RecordingTarget.Verdict(A, false, "ejected: 5 consecutive failures; ejected for 30s"),
                target.next());
        Await.until("the ejection to be published", () -> is(health, A, BackendHealthSnapshot::ejected));
        assertEquals(1, state(health, A).ejections());
        assertEquals(1, state(health, A).flips());

        clock.addAndGet(30 * SECOND);
        assertEquals(new RecordingTarget.Verdict(A, true, "returned: ejection of 30s ended"), target.next());
        Await.until("the return to be published", () -> is(health, A, b -> !b.ejected()));
        assertEquals(2, state(health, A).flips());
        assertTrue(state(health, B).healthy());
    }

    @Test
    void shouldKeepABackendOutWhileItsActiveCheckFailsAfterItsEjectionEnds() {
        RecordingTarget target = new RecordingTarget(backend(A, false));
        ClusterHealth health = start(target, CHECK, OUTLIERS);
        assertEquals(new RecordingTarget.Verdict(A, true, "health check passed: scripted"), target.next());

        failures.fail(A, 0, 5);
        assertEquals(new RecordingTarget.Verdict(A, false, "ejected: 5 consecutive failures; ejected for 30s"),
                target.next());
        check.healthy.set(false);
        Await.until("the active check to fail", () -> is(health, A, b -> !b.activeHealthy()));

        clock.addAndGet(30 * SECOND);
        Await.until("the ejection to end", () -> is(health, A, b -> !b.ejected()));
        assertEquals(List.of(), target.pending(), "no verdict while the active check still fails");
        assertEquals(2, state(health, A).flips(), "one flip up at the first probe, one down at the ejection");

        check.healthy.set(true);
        assertEquals(new RecordingTarget.Verdict(A, true, "health check passed: scripted"), target.next());
    }

    @Test
    void shouldResendTheVerdictWhenANewSetVersionDisagrees() {
        RecordingTarget target = new RecordingTarget(backend(A, true), backend(B, true));
        start(target, null, OUTLIERS);
        failures.fail(A, 0, 5);
        assertEquals(false, target.next().healthy());
        target.rebuildAll(true);
        assertEquals(new RecordingTarget.Verdict(A, false, "ejected: 5 consecutive failures; ejected for 30s"),
                target.next());
        assertTrue(target.isHealthy(B));
    }

    @Test
    void shouldResendAVerdictTheTargetFailedToTakeWithTheNextSetVersion() {
        RecordingTarget recording = new RecordingTarget(backend(A, true), backend(B, true));
        AtomicBoolean failOnce = new AtomicBoolean(true);
        HealthTarget flaky = new HealthTarget() {
            @Override
            public BackendSet currentBackends() {
                return recording.currentBackends();
            }

            @Override
            public void setHealthy(HostPort backend, boolean healthy, String cause) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("set rebuild failed (scripted)");
                }
                recording.setHealthy(backend, healthy, cause);
            }
        };
        ClusterHealth health = start(flaky, null, OUTLIERS);
        failures.fail(A, 0, 5);
        Await.until("the ejection", () -> is(health, A, BackendHealthSnapshot::ejected));
        recording.add(backend(new HostPort("10.0.0.3", 80), true));
        assertEquals(new RecordingTarget.Verdict(A, false, "ejected: 5 consecutive failures; ejected for 30s"),
                recording.next());
    }

    @Test
    void shouldSendNothingAfterClose() throws Exception {
        RecordingTarget target = new RecordingTarget(backend(A, true), backend(B, true));
        ClusterHealth health = start(target, null, OUTLIERS);
        Await.until("the first poll", () -> health.snapshot().backends().size() == 2);
        health.close().get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        failures.fail(A, 0, 50);
        // Lets ten poll periods pass on the loop, so a poller that close() failed to stop would have run.
        loop.schedule(() -> { }, 50, TimeUnit.MILLISECONDS).get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of(), target.pending());
        assertTrue(health.snapshot().backends().stream().noneMatch(BackendHealthSnapshot::ejected));
    }

    private ClusterHealth start(HealthTarget target, HealthCheckConfig checkConfig, OutlierConfig outliers) {
        return ClusterHealth.start("web", loop, target, failures, checkConfig == null ? null : check, checkConfig,
                outliers, clock::get, new SplittableRandom(7), Duration.ofMillis(5));
    }

    private static BackendHealthSnapshot state(ClusterHealth health, HostPort backend) {
        BackendHealthSnapshot s = health.snapshot().backend(backend.toString());
        if (s == null) {
            throw new AssertionError(backend + " is not in " + health.snapshot());
        }
        return s;
    }

    /** Whether {@code backend} is in the latest snapshot and matches {@code condition}. */
    private static boolean is(ClusterHealth health, HostPort backend, Predicate<BackendHealthSnapshot> condition) {
        BackendHealthSnapshot s = health.snapshot().backend(backend.toString());
        return s != null && condition.test(s);
    }

    private static Backend backend(HostPort address, boolean healthy) {
        return new Backend(address, new InetSocketAddress(address.host(), address.port()), 1, BackendState.ACTIVE,
                healthy);
    }

    /** A check whose verdict the test sets; every probe completes at once on the caller's loop. */
    private final class ScriptedCheck implements HealthCheck {
        final AtomicBoolean healthy = new AtomicBoolean(true);

        @Override
        public Future<ProbeResult> probe(HostPort backend, InetSocketAddress address) {
            return loop.newSucceededFuture(new ProbeResult(healthy.get(), "scripted"));
        }
    }
}
