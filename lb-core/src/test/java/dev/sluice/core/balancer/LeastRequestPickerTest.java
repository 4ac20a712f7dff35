package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeastRequestPickerTest {

    private static LeastRequestPicker picker(BackendSet set, long seed) {
        return new LeastRequestPicker(set, new ReadyList(set), seed);
    }

    @Test
    void shouldRarelyPickABackendHoldingManyActiveRequests() {
        LeastRequestPicker picker = picker(TestBackends.set(TestBackends.backends(4)), 11);
        for (int i = 0; i < 100; i++) {
            picker.onRequestStart(0);
        }
        int busy = 0;
        for (int i = 0; i < 10_000; i++) {
            int chosen = picker.pick(null, 0);
            picker.onRequestStart(chosen);
            picker.onRequestEnd(chosen, 1_000, false);
            busy += chosen == 0 ? 1 : 0;
        }
        assertTrue(busy < 100, "the busy backend got " + busy + " of 10000");
    }

    @Test
    void shouldSpreadEvenlyWhenLoadsAreEqual() {
        LeastRequestPicker picker = picker(TestBackends.set(TestBackends.backends(4)), 12);
        int[] counts = new int[4];
        for (int i = 0; i < 40_000; i++) {
            int chosen = picker.pick(null, 0);
            picker.onRequestStart(chosen);
            picker.onRequestEnd(chosen, 1_000, false);
            counts[chosen]++;
        }
        for (int c : counts) {
            assertEquals(0.25, c / 40_000.0, 0.01, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void shouldKeepActiveRequestsLevelWhileTheyPileUp() {
        LeastRequestPicker picker = picker(TestBackends.set(TestBackends.backends(8)), 13);
        for (int i = 0; i < 800; i++) {
            picker.onRequestStart(picker.pick(null, 0));
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int b = 0; b < 8; b++) {
            min = Math.min(min, picker.active(b));
            max = Math.max(max, picker.active(b));
        }
        assertTrue(max - min <= 4, "active requests range " + min + ".." + max);
    }

    @Test
    void shouldShareActiveRequestsByWeight() {
        List<Backend> backends = List.of(TestBackends.backend("10.0.0.1", 80, 1, true),
                TestBackends.backend("10.0.0.2", 80, 3, true));
        LeastRequestPicker picker = picker(TestBackends.set(backends), 14);
        for (int i = 0; i < 400; i++) {
            picker.onRequestStart(picker.pick(null, 0));
        }
        double ratio = (picker.active(1) + 1) / (double) (picker.active(0) + 1);
        assertEquals(3.0, ratio, 0.1, picker.active(0) + " vs " + picker.active(1));
    }

    @Test
    void shouldNotCountBelowZeroOrOutsideTheSet() {
        LeastRequestPicker picker = picker(TestBackends.set(TestBackends.backends(2)), 15);
        picker.onRequestEnd(0, 1_000, false);
        picker.onRequestStart(7);
        picker.onRequestEnd(-1, 1_000, true);
        assertEquals(0, picker.active(0));
    }

    @Test
    void shouldPickADifferentBackendOnRetry() {
        LeastRequestPicker picker = picker(TestBackends.set(TestBackends.backends(3)), 16);
        for (int i = 0; i < 1000; i++) {
            int first = picker.pick(null, 0);
            assertNotEquals(first, picker.pick(null, 1));
        }
    }

    @Test
    void shouldNeverAnswerNoBackendWhileAnyIsReady() {
        List<Backend> backends = TestBackends.backends(5);
        for (int ready = 0; ready < 5; ready++) {
            int[] down = new int[4];
            for (int i = 0, j = 0; i < 5; i++) {
                if (i != ready) {
                    down[j++] = i;
                }
            }
            LeastRequestPicker picker = picker(TestBackends.withUnhealthy(backends, down), ready);
            for (int i = 0; i < 100; i++) {
                assertEquals(ready, picker.pick(null, i % 3));
            }
        }
        assertEquals(Picker.NO_BACKEND, picker(TestBackends.withUnhealthy(backends, 0, 1, 2, 3, 4), 1).pick(null, 0));
    }
}
