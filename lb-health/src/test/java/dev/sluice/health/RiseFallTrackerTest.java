package dev.sluice.health;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RiseFallTrackerTest {

    @Test
    void shouldStartUnhealthyAndUnproven() {
        RiseFallTracker t = new RiseFallTracker(2, 3);
        assertFalse(t.isHealthy());
        assertFalse(t.isProven());
    }

    @Test
    void shouldTurnHealthyAtOnceWhenTheFirstProbeSucceeds() {
        RiseFallTracker t = new RiseFallTracker(3, 3);
        assertTrue(t.record(true));
        assertTrue(t.isHealthy());
    }

    @Test
    void shouldNeedRiseSuccessesWhenTheFirstProbeFailed() {
        RiseFallTracker t = new RiseFallTracker(2, 3);
        assertFalse(t.record(false));
        assertFalse(t.isHealthy());
        assertFalse(t.record(true));
        assertTrue(t.record(true));
        assertTrue(t.isHealthy());
    }

    @Test
    void shouldStayHealthyUntilFallFailuresInARow() {
        RiseFallTracker t = healthy(2, 3);
        assertFalse(t.record(false));
        assertFalse(t.record(false));
        assertTrue(t.isHealthy());
        assertTrue(t.record(false));
        assertFalse(t.isHealthy());
    }

    @Test
    void shouldRestartTheFailureRunAfterASuccess() {
        RiseFallTracker t = healthy(2, 3);
        t.record(false);
        t.record(false);
        t.record(true);
        assertFalse(t.record(false));
        assertFalse(t.record(false));
        assertTrue(t.isHealthy());
        assertTrue(t.record(false));
    }

    @Test
    void shouldRecoverAfterRiseSuccessesInARow() {
        RiseFallTracker t = healthy(3, 1);
        assertTrue(t.record(false));
        assertFalse(t.record(true));
        assertFalse(t.record(true));
        assertFalse(t.isHealthy());
        assertTrue(t.record(true));
        assertTrue(t.isHealthy());
    }

    @Test
    void shouldRestartTheSuccessRunAfterAFailure() {
        RiseFallTracker t = healthy(2, 1);
        t.record(false);
        t.record(true);
        assertFalse(t.record(false));
        assertFalse(t.record(true));
        assertFalse(t.isHealthy());
        assertTrue(t.record(true));
    }

    @Test
    void shouldTreatThresholdsBelowOneAsOne() {
        RiseFallTracker t = healthy(0, 0);
        assertTrue(t.record(false));
        assertTrue(t.record(true));
    }

    private static RiseFallTracker healthy(int rise, int fall) {
        RiseFallTracker t = new RiseFallTracker(rise, fall);
        t.record(true);
        return t;
    }
}
