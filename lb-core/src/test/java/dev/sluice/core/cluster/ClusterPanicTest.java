package dev.sluice.core.cluster;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPanicTest {

    private static final HostPort A = new HostPort("127.0.0.1", 9001);
    private static final HostPort B = new HostPort("127.0.0.1", 9002);
    private static final HostPort C = new HostPort("127.0.0.1", 9003);

    private static Backend backend(int port, BackendState state, boolean healthy) {
        return new Backend(new HostPort("127.0.0.1", port), new InetSocketAddress("127.0.0.1", port), 1, state, healthy);
    }

    private static ClusterRuntime threeBackends() {
        return new ClusterRuntime(ClusterConfig.simple("web", "round_robin",
                List.of(new BackendConfig(A, 1), new BackendConfig(B, 1), new BackendConfig(C, 1))));
    }

    @Test
    void shouldPanicBelowHalfOfTheActiveBackendsHealthy() {
        assertTrue(PanicThreshold.isPanic(List.of(backend(1, BackendState.ACTIVE, true),
                backend(2, BackendState.ACTIVE, false), backend(3, BackendState.ACTIVE, false)), 50));
        assertFalse(PanicThreshold.isPanic(List.of(backend(1, BackendState.ACTIVE, true),
                backend(2, BackendState.ACTIVE, false)), 50), "exactly half is not below half");
    }

    @Test
    void shouldIgnoreDrainingAndDisabledBackendsWhenDecidingPanic() {
        assertFalse(PanicThreshold.isPanic(List.of(backend(1, BackendState.ACTIVE, true),
                backend(2, BackendState.DISABLED, false), backend(3, BackendState.DRAINING, false)), 50));
        assertFalse(PanicThreshold.isPanic(List.of(backend(1, BackendState.DISABLED, false)), 50),
                "no active backend: nothing to spread over");
    }

    @Test
    void shouldNeverPanicAtAThresholdOfZero() {
        assertFalse(PanicThreshold.isPanic(List.of(backend(1, BackendState.ACTIVE, false)), 0));
    }

    @Test
    void shouldMakeEveryActiveBackendReadyWhenTwoOfThreeAreUnhealthy() {
        ClusterRuntime runtime = threeBackends();
        runtime.setHealthy(A, false, "test");
        assertFalse(runtime.inPanic());
        assertEquals(2, runtime.snapshot().backends().readyCount());
        runtime.setHealthy(B, false, "test");
        assertTrue(runtime.inPanic());
        assertEquals(3, runtime.snapshot().backends().readyCount());
        assertEquals(1, runtime.panicsEntered());
    }

    @Test
    void shouldCountEachEntryIntoPanicOnce() {
        ClusterRuntime runtime = threeBackends();
        runtime.setHealthy(A, false, "test");
        runtime.setHealthy(B, false, "test");
        runtime.setHealthy(C, false, "test");
        runtime.setHealthy(A, true, "test");
        assertEquals(1, runtime.panicsEntered(), "staying in panic is not a new entry");
        runtime.setHealthy(B, true, "test");
        assertFalse(runtime.inPanic());
        assertEquals(2, runtime.snapshot().backends().readyCount());
        runtime.setHealthy(B, false, "test");
        assertEquals(2, runtime.panicsEntered());
    }

    @Test
    void shouldIgnoreVerdictsForAddressesThatAreNotBackends() {
        ClusterRuntime runtime = threeBackends();
        long version = runtime.snapshot().version();
        assertFalse(runtime.setHealthy(new HostPort("127.0.0.1", 9999), false, "test"));
        assertEquals(version, runtime.snapshot().version());
    }
}
