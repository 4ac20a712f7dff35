package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeakEwmaPickerTest {

    private static final long MS = 1_000_000L;
    private static final long TAU = 10_000 * MS;

    private final long[] now = {1_000 * MS};

    private PeakEwmaPicker picker(BackendSet set, long seed) {
        return new PeakEwmaPicker(set, new ReadyList(set), () -> now[0], TAU, seed);
    }

    @Test
    void shouldJumpToAHigherLatencyAtOnce() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        picker.onRequestStart(0);
        picker.onRequestEnd(0, 10 * MS, false);
        assertEquals(10 * MS, picker.cost(0), 1e-6);
        now[0] += 1 * MS;
        picker.onRequestStart(0);
        picker.onRequestEnd(0, 40 * MS, false);
        assertEquals(40 * MS, picker.cost(0), 1e-6);
    }

    @Test
    void shouldDecayTowardsLowerLatencyByElapsedTime() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        picker.onRequestEnd(0, 10 * MS, false);
        now[0] += TAU; // one mean lifetime: w = exp(-1)
        picker.onRequestEnd(0, 2 * MS, false);
        double w = Math.exp(-1);
        assertEquals(10 * MS * w + 2 * MS * (1 - w), picker.cost(0), 1e-3);
    }

    @Test
    void shouldDecayLikeExpOverShortGapsToo() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        picker.onRequestEnd(0, 10 * MS, false);
        long[] gaps = {1_000, 100_000, 999_999, 1_000_001, 50 * MS};
        double expected = 10 * MS;
        for (long gap : gaps) {
            now[0] += gap;
            expected *= Math.exp(-(double) gap / TAU);
            assertEquals(expected, picker.load(0, now[0]), expected * 1e-12, "after a gap of " + gap + " ns");
        }
    }

    @Test
    void shouldDecayAnIdleBackendsLoadLikeObservingZero() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        picker.onRequestEnd(0, 10 * MS, false);
        now[0] += TAU * 2;
        assertEquals(10 * MS * Math.exp(-2), picker.load(0, now[0]), 1e-3);
        picker.onRequestStart(0);
        picker.onRequestStart(0);
        assertEquals(10 * MS * Math.exp(-2) * 3, picker.load(0, now[0]), 1e-3);
    }

    @Test
    void shouldPenaliseABackendWithPendingRequestsButNoSample() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        assertEquals(0.0, picker.load(0, now[0]));
        picker.onRequestStart(0);
        picker.onRequestStart(0);
        assertEquals(PeakEwmaPicker.PENALTY + 2, picker.load(0, now[0]));
        for (int i = 0; i < 100; i++) {
            assertEquals(1, picker.pick(null, 0));
        }
    }

    @Test
    void shouldCountAFailureAsAtLeastOneSecond() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        picker.onRequestStart(0);
        picker.onRequestEnd(0, 50_000, true); // refused in 50 us: must not look fast
        assertEquals(PeakEwmaPicker.FAILURE_LATENCY_NANOS, picker.cost(0), 1e-6);
        picker.onRequestEnd(1, 5 * MS, false);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, picker.pick(null, 0));
        }
    }

    @Test
    void shouldSteerAwayFromABackendTwentyMillisecondsSlower() {
        BackendSet set = TestBackends.set(TestBackends.backends(5));
        long[] latency = {5 * MS, 5 * MS, 25 * MS, 5 * MS, 5 * MS};
        int[] picks = new LatencySimulation(new Picker[] {picker(set, 42)}, latency, now).run(20_000, MS / 2);
        double slowShare = picks[2] / 20_000.0;
        System.out.printf("peak_ewma, 1 loop, one backend 20 ms slower: it got %.3f%% of requests %s%n",
                slowShare * 100, java.util.Arrays.toString(picks));
        assertTrue(slowShare < 0.05, "slow backend share " + slowShare);
    }

    @Test
    void shouldSteerAwayFromASlowBackendWithEachLoopLearningAlone() {
        BackendSet set = TestBackends.set(TestBackends.backends(5));
        long[] latency = {5 * MS, 5 * MS, 5 * MS, 5 * MS, 25 * MS};
        Picker[] loops = {picker(set, 7), picker(set, 8)};
        int[] picks = new LatencySimulation(loops, latency, now).run(20_000, MS / 2);
        double slowShare = picks[4] / 20_000.0;
        System.out.printf("peak_ewma, 2 loops without shared samples, one backend 20 ms slower: "
                + "it got %.3f%% of requests %s%n", slowShare * 100, java.util.Arrays.toString(picks));
        assertTrue(slowShare < 0.05, "slow backend share " + slowShare);
    }

    @Test
    void shouldSpreadEvenlyOverEqualBackends() {
        BackendSet set = TestBackends.set(TestBackends.backends(4));
        long[] latency = {5 * MS, 5 * MS, 5 * MS, 5 * MS};
        int[] picks = new LatencySimulation(new Picker[] {picker(set, 3)}, latency, now).run(40_000, MS / 2);
        for (int p : picks) {
            assertEquals(0.25, p / 40_000.0, 0.03, java.util.Arrays.toString(picks));
        }
    }

    @Test
    void shouldReadTheClockOncePerResponseAndNeverPerPick() {
        int[] reads = {0};
        BackendSet set = TestBackends.set(TestBackends.backends(3));
        PeakEwmaPicker picker = new PeakEwmaPicker(set, new ReadyList(set), () -> {
            reads[0]++;
            return now[0];
        }, TAU, 1);
        reads[0] = 0;
        for (int i = 0; i < 100; i++) {
            int b = picker.pick(null, 0);
            picker.onRequestStart(b);
            picker.onRequestEnd(b, MS, false);
        }
        assertEquals(100, reads[0]);
    }

    @Test
    void shouldApplyIdleDecayAtTheNextResponse() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 1);
        picker.onRequestEnd(0, 100 * MS, false);
        picker.onRequestEnd(1, 10 * MS, false);
        now[0] += 3 * TAU; // both idle; backend 0's cost decays below backend 1's old cost only with time
        picker.onRequestEnd(1, 10 * MS, false);
        assertEquals(100 * MS * Math.exp(-3), picker.load(0, now[0]), 1e-3);
        assertEquals(0, picker.pick(null, 0)); // 4.98 ms < 10 ms
    }

    @Test
    void shouldPickADifferentBackendOnRetry() {
        PeakEwmaPicker picker = picker(TestBackends.set(TestBackends.backends(3)), 5);
        for (int i = 0; i < 1000; i++) {
            int first = picker.pick(null, 0);
            assertNotEquals(first, picker.pick(null, 1));
        }
    }

    @Test
    void shouldPickOnlyReadyBackendsAndNoBackendWhenNoneIs() {
        List<Backend> backends = TestBackends.backends(4);
        PeakEwmaPicker picker = picker(TestBackends.withUnhealthy(backends, 0, 2, 3), 9);
        for (int i = 0; i < 200; i++) {
            assertEquals(1, picker.pick(null, i % 2));
        }
        assertEquals(Picker.NO_BACKEND, picker(TestBackends.withUnhealthy(backends, 0, 1, 2, 3), 9).pick(null, 0));
    }
}
