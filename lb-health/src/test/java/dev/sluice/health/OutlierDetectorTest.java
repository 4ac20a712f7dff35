package dev.sluice.health;

import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.OutlierConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ejection rules on a fake clock: no threads, no sleeps. */
class OutlierDetectorTest {

    private static final long SECOND = 1_000_000_000L;

    private static final HostPort A = new HostPort("10.0.0.1", 80);
    private static final HostPort B = new HostPort("10.0.0.2", 80);
    private static final HostPort C = new HostPort("10.0.0.3", 80);
    private static final HostPort D = new HostPort("10.0.0.4", 80);
    private static final List<HostPort> FOUR = List.of(A, B, C, D);

    private final FakeFailures failures = new FakeFailures(1);
    private long now = 1_000 * SECOND;

    @Test
    void shouldEjectWhenConsecutiveFailuresReachTheThreshold() {
        OutlierDetector d = detector(5, 30, 50);
        failures.fail(A, 4);
        assertEquals(List.of(), d.evaluate(now, FOUR, failures));
        failures.fail(A, 1);
        List<OutlierDecision> decisions = d.evaluate(now, FOUR, failures);
        assertEquals(List.of(new OutlierDecision(A, OutlierDecision.Kind.EJECT, Duration.ofSeconds(30),
                "5 consecutive failures; ejected for 30s")), decisions);
        assertTrue(d.isEjected(A));
        assertEquals(1, d.ejections(A));
    }

    @Test
    void shouldNotEjectWhenASuccessBreaksTheRun() {
        OutlierDetector d = detector(5, 30, 50);
        failures.fail(A, 4);
        d.evaluate(now, FOUR, failures);
        failures.succeed(A, 0).fail(A, 4);
        assertEquals(List.of(), d.evaluate(now, FOUR, failures));
        assertFalse(d.isEjected(A));
    }

    @Test
    void shouldReturnTheBackendWhenItsEjectionEnds() {
        OutlierDetector d = detector(5, 30, 50);
        ejectNow(d, A);
        assertEquals(List.of(), d.evaluate(now + 30 * SECOND - 1, FOUR, failures));
        List<OutlierDecision> decisions = d.evaluate(now + 30 * SECOND, FOUR, failures);
        assertEquals(1, decisions.size());
        assertEquals(OutlierDecision.Kind.RETURN, decisions.get(0).kind());
        assertEquals("ejection of 30s ended", decisions.get(0).cause());
        assertFalse(d.isEjected(A));
    }

    @Test
    void shouldEjectForOneMoreBasePeriodEachTimeItIsEjectedAgain() {
        OutlierDetector d = detector(5, 30, 50);
        assertEquals(Duration.ofSeconds(30), ejectNow(d, A));
        now += 30 * SECOND;
        d.evaluate(now, FOUR, failures);
        assertEquals(Duration.ofSeconds(60), ejectNow(d, A));
        now += 60 * SECOND;
        d.evaluate(now, FOUR, failures);
        assertEquals(Duration.ofSeconds(90), ejectNow(d, A));
        assertEquals(3, d.ejections(A));
    }

    @Test
    void shouldCapTheEjectionAt300SecondsAndStopGrowingTheMultiplier() {
        OutlierDetector d = detector(1, 100, 50);
        assertEquals(Duration.ofSeconds(300), d.maxEjection());
        long[] expected = {100, 200, 300, 300};
        for (long seconds : expected) {
            assertEquals(Duration.ofSeconds(seconds), ejectNow(d, A));
            now += seconds * SECOND;
            d.evaluate(now, FOUR, failures);
        }
        assertEquals(3, d.multiplier(A));
    }

    @Test
    void shouldNeverCapBelowOneBasePeriod() {
        OutlierDetector d = detector(1, 600, 50);
        assertEquals(Duration.ofSeconds(600), d.maxEjection());
        assertEquals(Duration.ofSeconds(600), ejectNow(d, A));
    }

    @Test
    void shouldShrinkTheMultiplierByOneForEveryCleanBasePeriod() {
        OutlierDetector d = detector(5, 30, 50);
        ejectNow(d, A);
        now += 30 * SECOND;
        d.evaluate(now, FOUR, failures);
        ejectNow(d, A);
        now += 60 * SECOND;
        d.evaluate(now, FOUR, failures); // back in rotation with multiplier 2
        assertEquals(2, d.multiplier(A));
        d.evaluate(now + 30 * SECOND - 1, FOUR, failures);
        assertEquals(2, d.multiplier(A));
        now += 30 * SECOND;
        failures.fail(A, 4); // failures below the threshold do not stop the decay
        d.evaluate(now, FOUR, failures);
        assertEquals(1, d.multiplier(A));
        now += 30 * SECOND;
        d.evaluate(now, FOUR, failures);
        assertEquals(0, d.multiplier(A));
        failures.succeed(A, 0);
        assertEquals(Duration.ofSeconds(30), ejectNow(d, A));
    }

    @Test
    void shouldRefuseEjectionsBeyondMaxPercentAndEjectOnceRoomFreesUp() {
        OutlierDetector d = detector(5, 30, 50);
        failures.fail(A, 5).fail(B, 5).fail(C, 5);
        List<OutlierDecision> decisions = d.evaluate(now, FOUR, failures);
        assertEquals(List.of(A, B), decisions.stream().map(OutlierDecision::backend).toList());
        assertFalse(d.isEjected(C));
        assertEquals(1, d.overflows());
        d.evaluate(now + SECOND, FOUR, failures);
        assertEquals(1, d.overflows(), "a refused candidacy is counted once");
        decisions = d.evaluate(now + 30 * SECOND, FOUR, failures);
        assertEquals(List.of(OutlierDecision.Kind.RETURN, OutlierDecision.Kind.RETURN, OutlierDecision.Kind.EJECT),
                decisions.stream().map(OutlierDecision::kind).toList());
        assertTrue(d.isEjected(C));
    }

    @Test
    void shouldAlwaysAllowOneEjectionWhenNoneIsActive() {
        OutlierDetector d = detector(5, 30, 10);
        List<HostPort> three = List.of(A, B, C);
        failures.fail(A, 5).fail(B, 5);
        List<OutlierDecision> decisions = d.evaluate(now, three, failures);
        assertEquals(List.of(A), decisions.stream().map(OutlierDecision::backend).toList());
        assertFalse(d.isEjected(B));
    }

    @Test
    void shouldNeverEjectWhenMaxPercentIsZero() {
        OutlierDetector d = detector(5, 30, 0);
        failures.fail(A, 50);
        assertEquals(List.of(), d.evaluate(now, FOUR, failures));
        assertEquals(1, d.overflows());
    }

    @Test
    void shouldForgetARemovedBackendAndFreeItsEjectionSlot() {
        OutlierDetector d = detector(5, 30, 50);
        failures.fail(A, 5).fail(B, 5);
        d.evaluate(now, List.of(A, B), failures);
        assertTrue(d.isEjected(A));
        assertFalse(d.isEjected(B));
        List<OutlierDecision> decisions = d.evaluate(now + SECOND, List.of(B), failures);
        assertEquals(List.of(B), decisions.stream().map(OutlierDecision::backend).toList());
        assertFalse(d.isEjected(A));
        assertEquals(0, d.ejections(A));
    }

    @Test
    void shouldIgnoreFailuresCountedWhileEjected() {
        OutlierDetector d = detector(5, 30, 50);
        ejectNow(d, A);
        failures.fail(A, 20); // panic-mode traffic to the ejected backend
        d.evaluate(now + SECOND, FOUR, failures);
        failures.fail(A, 3);
        List<OutlierDecision> decisions = d.evaluate(now + 30 * SECOND, FOUR, failures);
        assertEquals(List.of(OutlierDecision.Kind.RETURN), decisions.stream().map(OutlierDecision::kind).toList());
        assertEquals(List.of(), d.evaluate(now + 31 * SECOND, FOUR, failures));
    }

    @Test
    void shouldNotEjectAgainFromALoopCounterLeftHighByTheLastEjection() {
        FakeFailures twoLoops = new FakeFailures(2);
        OutlierDetector d = detector(5, 30, 50);
        twoLoops.fail(A, 0, 5);
        assertEquals(1, d.evaluate(now, FOUR, twoLoops).size());
        d.evaluate(now + 30 * SECOND, FOUR, twoLoops);
        // Loop 0 still says 5 in a row (it has had no request since); loop 1 fails, succeeds, fails.
        twoLoops.fail(A, 1, 1).succeed(A, 1).fail(A, 1, 1);
        assertEquals(List.of(), d.evaluate(now + 31 * SECOND, FOUR, twoLoops));
    }

    @Test
    void shouldAddUpFailuresSpreadOverLoopsWhenNoneSucceeds() {
        FakeFailures threeLoops = new FakeFailures(3);
        OutlierDetector d = detector(5, 30, 50);
        threeLoops.fail(A, 0, 2).fail(A, 1, 2).fail(A, 2, 1);
        assertEquals(List.of(A), d.evaluate(now, FOUR, threeLoops).stream().map(OutlierDecision::backend).toList());
    }

    @Test
    void shouldRejectConfigOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> detector(0, 30, 50));
        assertThrows(IllegalArgumentException.class, () -> detector(5, 0, 50));
        assertThrows(IllegalArgumentException.class, () -> detector(5, 30, 101));
    }

    private OutlierDetector detector(int consecutive, long baseSeconds, int maxPercent) {
        return new OutlierDetector(new OutlierConfig(consecutive, Duration.ofSeconds(baseSeconds), maxPercent));
    }

    /** Makes {@code b} fail enough to be ejected at {@link #now}; returns the ejection's duration. */
    private Duration ejectNow(OutlierDetector d, HostPort b) {
        failures.fail(b, 1000);
        List<OutlierDecision> decisions = d.evaluate(now, FOUR, failures);
        OutlierDecision e = decisions.stream().filter(x -> x.backend().equals(b) && x.isEjection()).findFirst()
                .orElseThrow(() -> new AssertionError("expected an ejection of " + b + ", got " + decisions));
        return e.duration();
    }
}
