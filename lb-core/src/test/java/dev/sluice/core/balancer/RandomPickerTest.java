package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RandomPickerTest {

    @Test
    void shouldSpreadEqualBackendsUniformly() {
        BackendSet set = TestBackends.withUnhealthy(TestBackends.backends(5), 1);
        Picker picker = new RandomPicker(set, new SplittableRandom(3));
        int[] counts = new int[5];
        for (int i = 0; i < 40_000; i++) {
            counts[picker.pick(null, 0)]++;
        }
        assertEquals(0, counts[1]);
        for (int b : new int[] {0, 2, 3, 4}) {
            assertEquals(0.25, counts[b] / 40_000.0, 0.015);
        }
    }

    @Test
    void shouldSpreadUnequalBackendsByWeight() {
        List<Backend> backends = List.of(TestBackends.backend("10.0.0.1", 80, 1, true),
                TestBackends.backend("10.0.0.2", 80, 2, true), TestBackends.backend("10.0.0.3", 80, 5, true));
        Picker picker = new RandomPicker(TestBackends.set(backends), new SplittableRandom(4));
        int[] counts = new int[3];
        for (int i = 0; i < 80_000; i++) {
            counts[picker.pick(null, 0)]++;
        }
        assertEquals(1 / 8.0, counts[0] / 80_000.0, 0.01);
        assertEquals(2 / 8.0, counts[1] / 80_000.0, 0.01);
        assertEquals(5 / 8.0, counts[2] / 80_000.0, 0.01);
    }

    @Test
    void shouldPickADifferentBackendOnRetryEvenWhenOneDominates() {
        List<Backend> backends = List.of(TestBackends.backend("10.0.0.1", 80, 1000, true),
                TestBackends.backend("10.0.0.2", 80, 1, true), TestBackends.backend("10.0.0.3", 80, 1, true));
        Picker picker = new RandomPicker(TestBackends.set(backends), new SplittableRandom(5));
        for (int i = 0; i < 1000; i++) {
            int first = picker.pick(null, 0);
            assertNotEquals(first, picker.pick(null, 1));
        }
    }
}
