package dev.sluice.health;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.HostPort;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PanicModeTest {

    @Test
    void shouldPanicWhenFewerThanThresholdAreHealthy() {
        assertTrue(PanicMode.isPanic(List.of(up(1), down(2), down(3)), 50));
    }

    @Test
    void shouldNotPanicAtExactlyTheThreshold() {
        assertFalse(PanicMode.isPanic(List.of(up(1), down(2)), 50));
    }

    @Test
    void shouldLeaveDrainingAndDisabledBackendsOutOfTheCount() {
        List<Backend> backends = List.of(up(1), down(2), other(3, BackendState.DISABLED), other(4, BackendState.DRAINING));
        assertFalse(PanicMode.isPanic(backends, 50));
    }

    @Test
    void shouldNotPanicWithoutActiveBackends() {
        assertFalse(PanicMode.isPanic(List.of(other(1, BackendState.DISABLED)), 50));
        assertFalse(PanicMode.isPanic(List.of(), 50));
    }

    @Test
    void shouldNeverPanicWithAZeroThreshold() {
        assertFalse(PanicMode.isPanic(List.of(down(1), down(2)), 0));
    }

    @Test
    void shouldCountEachEntryIntoPanicOnce() {
        PanicMode panic = new PanicMode();
        assertFalse(panic.evaluate(List.of(up(1), up(2))));
        assertTrue(panic.evaluate(List.of(down(1), down(2))));
        assertTrue(panic.evaluate(List.of(down(1), down(2))));
        assertEquals(1, panic.panicsEntered());
        assertFalse(panic.evaluate(List.of(up(1), down(2))));
        assertFalse(panic.inPanic());
        assertTrue(panic.evaluate(List.of(down(1), down(2))));
        assertEquals(2, panic.panicsEntered());
        assertTrue(panic.inPanic());
    }

    @Test
    void shouldRejectAThresholdOutsideZeroToHundred() {
        assertThrows(IllegalArgumentException.class, () -> new PanicMode(101));
        assertThrows(IllegalArgumentException.class, () -> new PanicMode(-1));
    }

    private static Backend up(int port) {
        return other(port, BackendState.ACTIVE);
    }

    private static Backend down(int port) {
        return other(port, BackendState.ACTIVE).withHealthy(false);
    }

    private static Backend other(int port, BackendState state) {
        return new Backend(new HostPort("10.0.0.1", port), new InetSocketAddress("10.0.0.1", port), 1, state, true);
    }
}
