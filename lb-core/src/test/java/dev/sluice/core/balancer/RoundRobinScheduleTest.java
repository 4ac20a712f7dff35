package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RoundRobinScheduleTest {

    private static List<Backend> weighted(int... weights) {
        List<Backend> list = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(TestBackends.backend("10.0." + (i / 250) + "." + (i % 250 + 1), 80, weights[i], true));
        }
        return list;
    }

    @Test
    void shouldPickTheSameSequenceFromTheCycleAsFromScores() {
        BackendSet set = TestBackends.withUnhealthy(weighted(5, 1, 3, 2, 7), 3);
        Picker cycle = new RoundRobinPicker(set, RoundRobinPicker.schedule(set), 0);
        Picker scores = new RoundRobinPicker(set, null, 0);
        for (int i = 0; i < 3 * 16; i++) {
            assertEquals(scores.pick(null, 0), cycle.pick(null, 0), "pick " + i);
        }
    }

    @Test
    void shouldReduceWeightsByTheirCommonDivisor() {
        int[] scaled = RoundRobinPicker.schedule(TestBackends.set(weighted(200, 400, 600)));
        int[] reduced = RoundRobinPicker.schedule(TestBackends.set(weighted(1, 2, 3)));
        assertNotNull(scaled);
        assertEquals(6, scaled.length);
        assertEquals(java.util.Arrays.toString(reduced), java.util.Arrays.toString(scaled));
    }

    @Test
    void shouldRotateOverEqualBackendsInOneArrayReadEach() {
        BackendSet set = TestBackends.set(TestBackends.backends(1024));
        int[] cycle = RoundRobinPicker.schedule(set);
        assertNotNull(cycle);
        for (int i = 0; i < 1024; i++) {
            assertEquals(i, cycle[i]);
        }
    }

    @Test
    void shouldFallBackToScoresWhenTheCycleIsTooLarge() {
        int[] weights = new int[1000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1000 + i; // gcd 1, cycle of ~1.5 million picks
        }
        BackendSet set = TestBackends.set(weighted(weights));
        assertNull(RoundRobinPicker.schedule(set));
        Picker picker = new RoundRobinPicker(set, null, 0);
        assertEquals(999, picker.pick(null, 0)); // the heaviest goes first
    }

    @Test
    void shouldStartEachLoopWhereItIsTold() {
        BackendSet set = TestBackends.set(TestBackends.backends(4));
        Picker picker = new RoundRobinPicker(set, RoundRobinPicker.schedule(set), 6);
        assertEquals(2, picker.pick(null, 0));
        assertEquals(3, picker.pick(null, 0));
        assertEquals(0, picker.pick(null, 0));
    }
}
