package dev.sluice.core.balancer;

import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.HostPort;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RoundRobinPickerTest {

    static Backend backend(int port, int weight, boolean healthy) {
        HostPort hp = new HostPort("127.0.0.1", port);
        return new Backend(hp, new InetSocketAddress("127.0.0.1", port), weight, BackendState.ACTIVE, healthy);
    }

    @Test
    void shouldInterleaveWeightedBackendsSmoothly() {
        BackendSet set = BackendSet.of(1, List.of(backend(1, 5, true), backend(2, 1, true), backend(3, 1, true)));
        Picker picker = new RoundRobinPicker(set);
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(picker.pick(null, 0));
        }
        // NGINX's documented sequence for weights 5,1,1: a a b a c a a
        assertEquals(List.of(0, 0, 1, 0, 2, 0, 0), picks);
    }

    @Test
    void shouldSkipBackendsThatAreNotReady() {
        BackendSet set = BackendSet.of(1, List.of(backend(1, 1, false), backend(2, 1, true)));
        Picker picker = new RoundRobinPicker(set);
        for (int i = 0; i < 10; i++) {
            assertEquals(1, picker.pick(null, 0));
        }
    }

    @Test
    void shouldAnswerNoBackendWhenNoneIsReady() {
        BackendSet set = BackendSet.of(1, List.of(backend(1, 1, false)));
        assertEquals(Picker.NO_BACKEND, new RoundRobinPicker(set).pick(null, 0));
    }

    @Test
    void shouldPickADifferentBackendOnRetry() {
        BackendSet set = BackendSet.of(1, List.of(backend(1, 1, true), backend(2, 1, true), backend(3, 1, true)));
        Picker picker = new RoundRobinPicker(set);
        for (int i = 0; i < 10; i++) {
            int first = picker.pick(null, 0);
            assertNotEquals(first, picker.pick(null, 1));
        }
    }

    @Test
    void shouldSpreadRandomPicksByWeight() {
        BackendSet set = BackendSet.of(1, List.of(backend(1, 3, true), backend(2, 1, true)));
        Picker picker = new RandomPicker(set, new java.util.SplittableRandom(42));
        int[] counts = new int[2];
        for (int i = 0; i < 40_000; i++) {
            counts[picker.pick(null, 0)]++;
        }
        double share = counts[0] / 40_000.0;
        assertEquals(0.75, share, 0.02);
    }
}
