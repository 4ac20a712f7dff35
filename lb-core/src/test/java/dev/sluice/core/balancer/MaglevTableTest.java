package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaglevTableTest {

    /** Frozen: a change here means every deployed table changes, which breaks fleet consistency on upgrade. */
    private static final String GOLDEN_FINGERPRINT = "4d3556b9703f835c";
    private static final int[] GOLDEN_SLOT_COUNTS = {8193, 16385, 24575, 8192, 8192};
    private static final int[] GOLDEN_FIRST_64_SLOTS = {
        4, 2, 3, 3, 2, 1, 1, 2, 0, 2, 4, 2, 0, 1, 2, 1, 0, 4, 4, 2, 2, 1, 1, 3, 4, 0, 2, 2, 4, 1, 2, 4,
        2, 0, 2, 4, 1, 1, 4, 2, 1, 2, 2, 3, 1, 4, 2, 1, 0, 2, 0, 2, 1, 1, 3, 2, 4, 2, 2, 0, 1, 1, 1, 3};

    @Test
    void shouldBuildTheGoldenTable() {
        MaglevTable table = MaglevGoldenTable.build();
        int[] counts = new int[5];
        for (int i = 0; i < 5; i++) {
            counts[i] = table.slotCount(i);
        }
        int[] first = new int[64];
        for (int slot = 0; slot < 64; slot++) {
            first[slot] = table.backendAt(slot);
        }
        assertArrayEquals(GOLDEN_SLOT_COUNTS, counts);
        assertArrayEquals(GOLDEN_FIRST_64_SLOTS, first);
        assertEquals(GOLDEN_FINGERPRINT, table.fingerprint());
    }

    @Test
    void shouldBuildTheSameTableInASeparateJvm() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MaglevGoldenTable.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not exit");
        assertEquals(0, process.exitValue(), output);
        assertEquals(MaglevGoldenTable.build().fingerprint(), output);
        assertEquals(GOLDEN_FINGERPRINT, output);
    }

    @Test
    void shouldIgnoreTheOrderMembersAreGivenIn() {
        List<MaglevTable.Member> shuffled = new ArrayList<>(MaglevGoldenTable.members());
        Collections.reverse(shuffled);
        MaglevTable table = MaglevTable.buildFromMembers(shuffled, MaglevGoldenTable.TABLE_SIZE);
        MaglevTable golden = MaglevGoldenTable.build();
        assertEquals(golden.fingerprint(), table.fingerprint());
        for (int slot = 0; slot < golden.tableSize(); slot++) {
            assertEquals(golden.addressAt(slot), table.addressAt(slot));
        }
        assertEquals(0.0, MaglevTable.movedFraction(golden, table));
    }

    @Test
    void shouldGiveEveryBackendFloorOrCeilOfItsShareWhenWeightsAreEqual() {
        MaglevTable table = MaglevTable.build(TestBackends.backends(100), 65537);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < 100; i++) {
            min = Math.min(min, table.slotCount(i));
            max = Math.max(max, table.slotCount(i));
        }
        double maxOverAverage = max / (65537 / 100.0);
        System.out.printf("maglev balance N=100 M=65537: min %d, max %d, max/avg %.4f%n", min, max, maxOverAverage);
        assertTrue(maxOverAverage <= 1.01, "max/avg " + maxOverAverage);
        assertTrue(max - min <= 1, "min " + min + " max " + max);
    }

    @Test
    void shouldSplitSlotsByWeightAsEnvoyDocuments() {
        MaglevTable table = MaglevTable.buildFromMembers(
                List.of(new MaglevTable.Member("a:1", 1), new MaglevTable.Member("b:1", 2)), 65537);
        assertEquals(21846, table.slotCount(0), 1);
        assertEquals(43691, table.slotCount(1), 1);
    }

    @Test
    void shouldMoveFewKeysOfSurvivingBackendsWhenOneOfAHundredIsRemoved() {
        List<Backend> all = TestBackends.backends(100);
        MaglevTable before = MaglevTable.build(all, 65537);
        int removed = 37;
        List<Backend> fewer = new ArrayList<>(all);
        fewer.remove(removed);
        MaglevTable after = MaglevTable.build(fewer, 65537);
        int collateral = 0;
        for (int slot = 0; slot < before.tableSize(); slot++) {
            int was = before.backendAt(slot);
            if (was != removed && !before.addressAt(slot).equals(after.addressAt(slot))) {
                collateral++;
            }
        }
        double collateralShare = collateral / 65537.0;
        double moved = MaglevTable.movedFraction(before, after);
        System.out.printf("maglev disruption, remove 1 of 100, M=65537: moved %.4f%% of keys, of which "
                + "%.4f%% were on surviving backends%n", moved * 100, collateralShare * 100);
        assertTrue(collateralShare <= 0.02, "collateral " + collateralShare);
        assertEquals(before.slotCount(removed) / 65537.0 + collateralShare, moved, 1e-9);
    }

    @Test
    void shouldEstimateMovedKeysWhenTheTableSizeChanges() {
        List<Backend> backends = TestBackends.backends(10);
        MaglevTable small = MaglevTable.build(backends, 65537);
        MaglevTable large = MaglevTable.build(backends, 655373);
        double moved = MaglevTable.movedFraction(small, large);
        // Independent tables over the same 10 backends: a key stays put with probability about 1/10.
        assertEquals(0.9, moved, 0.02);
        assertEquals(0.0, MaglevTable.movedFraction(large, large));
    }

    @Test
    void shouldCountEveryKeyAsMovedWhenAllBackendsChange() {
        MaglevTable a = MaglevTable.build(TestBackends.backends(3), 65537);
        MaglevTable b = MaglevTable.buildFromMembers(List.of(new MaglevTable.Member("x:1", 1)), 65537);
        assertEquals(1.0, MaglevTable.movedFraction(a, b));
    }

    @Test
    void shouldFingerprintByAddressNotIndex() {
        MaglevTable golden = MaglevGoldenTable.build();
        List<MaglevTable.Member> renamed = new ArrayList<>(MaglevGoldenTable.members());
        renamed.set(0, new MaglevTable.Member("10.0.0.9:8080", 1));
        assertNotEquals(golden.fingerprint(), MaglevTable.buildFromMembers(renamed, 65537).fingerprint());
        assertNotEquals(golden.fingerprint(), MaglevTable.buildFromMembers(MaglevGoldenTable.members(), 65521).fingerprint());
    }

    @Test
    void shouldBuildAnEmptyTableWithoutBackends() {
        MaglevTable table = MaglevTable.build(List.of(), 7);
        assertEquals(-1, table.backendAt(3));
        assertEquals(null, table.addressAt(3));
        assertEquals(16, table.fingerprint().length());
    }

    @Test
    void shouldRejectATableSizeThatIsNotPrime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaglevTable.build(TestBackends.backends(2), 65536));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.build(TestBackends.backends(2), 5_000_111));
    }

    @Test
    void shouldRejectTheSameAddressTwice() {
        List<MaglevTable.Member> twice = List.of(new MaglevTable.Member("a:1", 1), new MaglevTable.Member("a:1", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaglevTable.buildFromMembers(twice, 7));
        assertTrue(e.getMessage().contains("a:1"), e.getMessage());
    }

    @Test
    void shouldRejectAWeightBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new MaglevTable.Member("a:1", 0));
    }
}
