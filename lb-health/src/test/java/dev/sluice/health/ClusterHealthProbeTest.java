package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.config.HealthCheckConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled active checks against real servers on loopback, on every transport available here. */
class ClusterHealthProbeTest {

    static List<TestTransport> transports() {
        return TestTransport.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldMarkANewBackendHealthyWhenItsFirstProbeSucceeds(TestTransport transport) {
        try (TestBackend backend = TestBackend.start(transport); Fixture f = new Fixture(transport)) {
            RecordingTarget target = new RecordingTarget(backend.backend(false));
            ClusterHealth health = f.start(target, check(Duration.ofMillis(50), Duration.ofSeconds(5), 2, 2));
            assertEquals(new RecordingTarget.Verdict(backend.address(), true, "health check passed: HTTP 200"),
                    target.next());
            Await.until("the flip to be published", () -> health.snapshot().backends().size() == 1
                    && health.snapshot().backends().get(0).flips() == 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldMarkANewBackendUnhealthyUntilAProbeSucceeds(TestTransport transport) {
        try (TestBackend backend = TestBackend.start(transport).silent(); Fixture f = new Fixture(transport)) {
            RecordingTarget target = new RecordingTarget(backend.backend(true));
            f.start(target, check(Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 2));
            assertEquals(new RecordingTarget.Verdict(backend.address(), false, "awaiting the first health check"),
                    target.next());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldFlipAfterFallFailuresAndRecoverAfterRiseSuccesses(TestTransport transport) {
        try (TestBackend backend = TestBackend.start(transport); Fixture f = new Fixture(transport)) {
            RecordingTarget target = new RecordingTarget(backend.backend(false));
            f.start(target, check(Duration.ofMillis(20), Duration.ofSeconds(5), 3, 2));
            assertTrue(target.next().healthy());

            backend.answer(503);
            assertEquals(new RecordingTarget.Verdict(backend.address(), false, "health check failed: HTTP 503"),
                    target.next());
            assertTrue(backend.answered(503) >= 2, "flipped after " + backend.answered(503) + " failures");

            int okBefore = backend.answered(200);
            backend.answer(200);
            assertEquals(new RecordingTarget.Verdict(backend.address(), true, "health check passed: HTTP 200"),
                    target.next());
            int successes = backend.answered(200) - okBefore;
            assertTrue(successes >= 3, "recovered after " + successes + " successes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldNeverHaveMoreThanOneProbeInFlightPerBackend(TestTransport transport) {
        try (TestBackend backend = TestBackend.start(transport).silent(); Fixture f = new Fixture(transport)) {
            RecordingTarget target = new RecordingTarget(backend.backend(false));
            // The interval is far shorter than the timeout: a timer that ignored in-flight probes would pile up.
            HealthCheckConfig config = check(Duration.ofMillis(5), Duration.ofMillis(100), 1, 1);
            CountingCheck counting = new CountingCheck(HealthCheck.of(config, f.transport));
            f.start(target, config, counting);
            Await.until("five probes to time out", () -> counting.completed(backend.address()) >= 5);
            assertEquals(1, counting.maxInFlight(backend.address()));
            assertTrue(backend.accepted.get() >= 5, "every probe reached the backend");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldProbeAddedBackendsAndStopProbingRemovedOnes(TestTransport transport) {
        try (TestBackend a = TestBackend.start(transport); TestBackend b = TestBackend.start(transport);
             Fixture f = new Fixture(transport)) {
            RecordingTarget target = new RecordingTarget(a.backend(false));
            HealthCheckConfig config = check(Duration.ofMillis(20), Duration.ofSeconds(5), 1, 1);
            CountingCheck counting = new CountingCheck(HealthCheck.of(config, f.transport));
            ClusterHealth health = f.start(target, config, counting);
            assertEquals(a.address(), target.next().backend());

            target.add(b.backend(false));
            assertEquals(new RecordingTarget.Verdict(b.address(), true, "health check passed: HTTP 200"),
                    target.next());

            target.remove(a.address());
            Await.until("the removal to be picked up",
                    () -> health.snapshot().backend(a.address().toString()) == null);
            int aAtRemoval = counting.started(a.address());
            int bAtRemoval = counting.completed(b.address());
            Await.until("three more probes of the kept backend",
                    () -> counting.completed(b.address()) >= bAtRemoval + 3);
            assertEquals(aAtRemoval, counting.started(a.address()), "the removed backend is no longer probed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldCloseProbeConnectionsWhenClosed(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).silent(); Fixture f = new Fixture(transport)) {
            RecordingTarget target = new RecordingTarget(backend.backend(false));
            ClusterHealth health = f.start(target, check(Duration.ofMillis(20), Duration.ofSeconds(30), 1, 1));
            Await.until("a probe to be waiting on the backend", () -> backend.requests.get() == 1);
            health.close().get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Await.until("the probe connection to be closed", () -> backend.closed.get() == 1);
            assertEquals(1, backend.accepted.get());
            assertNull(target.pending().stream().filter(RecordingTarget.Verdict::healthy).findAny().orElse(null));
        }
    }

    static HealthCheckConfig check(Duration interval, Duration timeout, int rise, int fall) {
        return new HealthCheckConfig("http", "/healthz", interval, timeout, rise, fall, null, List.of());
    }

    /** One health loop of the transport under test. */
    static final class Fixture implements AutoCloseable {
        final MultiThreadIoEventLoopGroup group;
        final EventLoop loop;
        final ProbeTransport transport;

        Fixture(TestTransport t) {
            group = t.newGroup(1);
            loop = group.next();
            transport = ProbeTransport.of(loop, t.client());
        }

        ClusterHealth start(RecordingTarget target, HealthCheckConfig config) {
            return start(target, config, HealthCheck.of(config, transport));
        }

        ClusterHealth start(RecordingTarget target, HealthCheckConfig config, HealthCheck check) {
            return ClusterHealth.start("web", loop, target, FailureSource.NONE, check, config, null,
                    System::nanoTime, new SplittableRandom(7), Duration.ofMillis(10));
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
