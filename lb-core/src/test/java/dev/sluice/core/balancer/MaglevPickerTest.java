package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaglevPickerTest {

    private static final int KEYS = 20_000;

    private static Picker picker(BackendSet set, String hashKey, String fallback) {
        MaglevPickerFactory factory = new MaglevPickerFactory();
        ClusterConfig config = TestBackends.cluster("maglev", hashKey, fallback, set.backends());
        return factory.newPicker(set, factory.buildShared(set, config), null);
    }

    private static int pickFor(Picker picker, String user, int attempt) {
        return picker.pick(TestBackends.headerContext("x-user", user), attempt);
    }

    @Test
    void shouldPickSameBackendWhenKeyRepeats() {
        Picker picker = picker(TestBackends.set(TestBackends.backends(10)), "header:x-user", "random");
        for (int k = 0; k < 1000; k++) {
            int first = pickFor(picker, "user-" + k, 0);
            assertEquals(first, pickFor(picker, "user-" + k, 0));
        }
    }

    @Test
    void shouldPickTheTableSlotOfTheKeyHash() {
        BackendSet set = TestBackends.set(TestBackends.backends(10));
        MaglevTable table = MaglevTable.build(set.backends(), 65537);
        Picker picker = picker(set, "header:x-user", "random");
        long hash = StableHash.hash("alice", StableHash.KEY_SEED);
        assertEquals(table.backendAt(StableHash.mod(hash, 65537)), pickFor(picker, "alice", 0));
    }

    @Test
    void shouldPickTheSameBackendsInEveryPickerOfTheSameBackends() {
        List<Backend> backends = TestBackends.backends(20);
        Picker one = picker(TestBackends.set(backends), "header:x-user", "random");
        Picker two = picker(BackendSet.of(9, backends), "header:x-user", "random");
        for (int k = 0; k < 1000; k++) {
            assertEquals(pickFor(one, "u" + k, 0), pickFor(two, "u" + k, 0));
        }
    }

    @Test
    void shouldMoveOnlyTheKeysOfAnUnreadyBackend() {
        List<Backend> backends = TestBackends.backends(10);
        Picker healthy = picker(TestBackends.set(backends), "header:x-user", "random");
        Picker degraded = picker(TestBackends.withUnhealthy(backends, 3), "header:x-user", "random");
        int movedAway = 0;
        int[] landedOn = new int[10];
        for (int k = 0; k < KEYS; k++) {
            int before = pickFor(healthy, "u" + k, 0);
            int after = pickFor(degraded, "u" + k, 0);
            if (before == 3) {
                assertNotEquals(3, after);
                movedAway++;
                landedOn[after]++;
            } else {
                assertEquals(before, after, "key u" + k + " of a ready backend moved");
            }
        }
        assertTrue(movedAway > KEYS / 20, "moved " + movedAway);
        for (int b = 0; b < 10; b++) {
            if (b != 3) {
                // the orphaned keys spread over the others instead of piling onto one neighbour
                assertTrue(landedOn[b] > movedAway / 9 / 3, "backend " + b + " took " + landedOn[b] + " of " + movedAway);
            }
        }
    }

    @Test
    void shouldFindAReadyBackendWhenAlmostAllAreDown() {
        List<Backend> backends = TestBackends.backends(50);
        int[] down = new int[49];
        for (int i = 0; i < 49; i++) {
            down[i] = i + 1;
        }
        Picker picker = picker(TestBackends.withUnhealthy(backends, down), "header:x-user", "random");
        for (int k = 0; k < 1000; k++) {
            assertEquals(0, pickFor(picker, "u" + k, 0));
            assertEquals(0, pickFor(picker, "u" + k, 1)); // a retry with one ready backend repeats it
        }
    }

    @Test
    void shouldNeverAnswerNoBackendWhileAnyIsReady() {
        List<Backend> backends = TestBackends.backends(8);
        for (int ready = 0; ready < 8; ready++) {
            int[] down = new int[7];
            for (int i = 0, j = 0; i < 8; i++) {
                if (i != ready) {
                    down[j++] = i;
                }
            }
            Picker picker = picker(TestBackends.withUnhealthy(backends, down), "header:x-user", "random");
            for (int k = 0; k < 500; k++) {
                for (int attempt = 0; attempt < 3; attempt++) {
                    assertEquals(ready, pickFor(picker, "u" + k, attempt));
                }
            }
        }
    }

    @Test
    void shouldAnswerNoBackendWhenNoneIsReady() {
        List<Backend> backends = TestBackends.backends(2);
        Picker picker = picker(TestBackends.withUnhealthy(backends, 0, 1), "header:x-user", "random");
        assertEquals(Picker.NO_BACKEND, pickFor(picker, "u", 0));
        assertEquals(Picker.NO_BACKEND, picker.pick(TestBackends.context(TestBackends.get("/"), "192.0.2.1"), 0));
    }

    @Test
    void shouldPickADifferentBackendOnRetry() {
        Picker picker = picker(TestBackends.set(TestBackends.backends(10)), "header:x-user", "random");
        for (int k = 0; k < 2000; k++) {
            int first = pickFor(picker, "u" + k, 0);
            int second = pickFor(picker, "u" + k, 1);
            int third = pickFor(picker, "u" + k, 2);
            assertNotEquals(first, second);
            assertNotEquals(second, third);
            assertNotEquals(first, third);
            assertEquals(second, pickFor(picker, "u" + k, 1), "a key's retry backend is fixed too");
        }
    }

    @Test
    void shouldAlternateOnRetryWithTwoReadyBackends() {
        Picker picker = picker(TestBackends.set(TestBackends.backends(2)), "header:x-user", "random");
        for (int k = 0; k < 200; k++) {
            int first = pickFor(picker, "u" + k, 0);
            assertEquals(1 - first, pickFor(picker, "u" + k, 1));
            assertEquals(first, pickFor(picker, "u" + k, 2));
        }
    }

    @Test
    void shouldUseTheFallbackPolicyAndCountItWhenTheKeyIsAbsent() {
        BackendSet set = TestBackends.set(TestBackends.backends(4));
        Picker picker = picker(set, "header:x-user", "round_robin");
        PickContext noKey = TestBackends.context(TestBackends.get("/"), "192.0.2.1");
        int[] counts = new int[4];
        for (int i = 0; i < 400; i++) {
            counts[picker.pick(noKey, 0)]++;
        }
        assertEquals(List.of(100, 100, 100, 100), List.of(counts[0], counts[1], counts[2], counts[3]));
        picker.pick(noKey, 1); // retries are not extra requests
        pickFor(picker, "u", 0); // keyed requests are not counted
        assertEquals(400, assertInstanceOf(HashKeyStats.class, picker).keyAbsentPicks());
    }

    @Test
    void shouldMakeTheAbsentKeyCountVisibleToAnotherThread() throws InterruptedException {
        Picker picker = picker(TestBackends.set(TestBackends.backends(3)), "header:x-user", "random");
        PickContext noKey = TestBackends.context(TestBackends.get("/"), "192.0.2.1");
        for (int i = 0; i < 7; i++) {
            picker.pick(noKey, 0);
        }
        long[] seen = new long[1];
        Thread reader = new Thread(() -> seen[0] = ((HashKeyStats) picker).keyAbsentPicks());
        reader.start();
        reader.join(); // join orders the reader after our writes; the read itself is the opaque one under test
        assertEquals(7, seen[0]);
    }

    @Test
    void shouldHashTheClientAddressByDefault() {
        Picker picker = picker(TestBackends.set(TestBackends.backends(10)), "client_ip", "random");
        int[] counts = new int[10];
        for (int i = 0; i < 2000; i++) {
            String ip = "198.51." + (i / 250) + "." + (i % 250 + 1);
            int chosen = picker.pick(TestBackends.context(TestBackends.get("/" + i), ip), 0);
            assertEquals(chosen, picker.pick(TestBackends.context(TestBackends.get("/other"), ip), 0));
            counts[chosen]++;
        }
        for (int c : counts) {
            assertTrue(c > 100, "uneven spread of client addresses: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void shouldRejectAFallbackThatIsNotAKeylessPolicy() {
        BackendSet set = TestBackends.set(TestBackends.backends(2));
        MaglevPickerFactory factory = new MaglevPickerFactory();
        assertThrows(IllegalArgumentException.class,
                () -> factory.buildShared(set, TestBackends.cluster("maglev", "path", "maglev", set.backends())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.buildShared(set, TestBackends.cluster("maglev", "path", "fastest", set.backends())));
        assertTrue(e.getMessage().contains("fastest"), e.getMessage());
    }

    @Test
    void shouldReuseTheTableWhenOnlyReadinessChanged() {
        List<Backend> backends = TestBackends.backends(5);
        MaglevPickerFactory factory = new MaglevPickerFactory();
        ClusterConfig config = TestBackends.cluster("maglev", "path", "random", backends);
        MaglevPickerFactory.Shared first = factory.buildShared(TestBackends.set(backends), config);
        MaglevPickerFactory.Shared second = factory.buildShared(TestBackends.withUnhealthy(backends, 2), config);
        assertTrue(first.table() == second.table(), "the table was rebuilt");
        List<Backend> reweighted = new java.util.ArrayList<>(backends);
        reweighted.set(0, TestBackends.backend("10.0.0.1", 8080, 5, true));
        MaglevPickerFactory.Shared third = factory.buildShared(TestBackends.set(reweighted), config);
        assertTrue(third.table() != first.table(), "a new weight must rebuild the table");
    }

    @Test
    void shouldBeRegisteredByName() {
        assertInstanceOf(MaglevPickerFactory.class, PickerFactories.get("maglev"));
    }
}
