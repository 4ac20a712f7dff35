package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The per-request core of the policy (key lookup, which after the first request comes from the loop's key cache;
 * bucket; quota) allocates nothing in steady state. Measured with the JVM's per-thread allocation counter; the
 * timing printed is a rough figure, not an assertion.
 */
class AdmissionCostTest {

    @TempDir
    Path store;

    @Test
    void shouldNotAllocateWhenLookingUpAKeyTakingATokenAndReservingQuota() {
        String key = ApiKeys.newKey();
        try (PolicyStore s = PolicyStore.open(store)) {
            Consumer acme = new Consumer("acme", false, null, List.of(), new RateBucket(0), s.quotaCounter("acme"));
            List<KeyIndex.Entry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                entries.add(new KeyIndex.Entry(ApiKeys.sha256(ApiKeys.newKey()), acme, "k" + i, false));
            }
            entries.add(new KeyIndex.Entry(ApiKeys.sha256(key), acme, "mine", false));
            KeyIndex index = new KeyIndex(entries);
            KeyHasher hasher = new KeyHasher();
            long now = System.currentTimeMillis();
            int rounds = 200_000;
            admit(hasher, index, key, acme, now, rounds); // warm up: compile the path
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            long start = System.nanoTime();
            int admitted = admit(hasher, index, key, acme, now, rounds);
            long nanos = System.nanoTime() - start;
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            System.out.printf("policy admission core: %d ns/op, %.3f B/op%n", nanos / rounds,
                    (double) allocated / rounds);
            assertEquals(rounds, admitted);
            assertEquals(0, allocated / rounds, allocated + " bytes over " + rounds + " admissions");
            assertSame(acme, hasher.find(index, "x-api-key " + key, 9, 10 + key.length()).consumer());
            assertNotNull(index.find(ApiKeys.sha256(key)));
        }
    }

    private static int admit(KeyHasher hasher, KeyIndex index, String key, Consumer acme, long now, int rounds) {
        int admitted = 0;
        long interval = 1; // a bucket that refills every nanosecond never runs dry here
        for (int i = 0; i < rounds; i++) {
            KeyIndex.Entry e = hasher.find(index, key, 0, key.length());
            if (e != null && e.consumer().bucket().tryAcquire(System.nanoTime(), interval, 1_000_000) >= 0
                    && e.consumer().quota().tryReserve(Long.MAX_VALUE >>> 28, QuotaPeriod.DAY, now) > 0) {
                admitted++;
            }
        }
        return admitted;
    }
}
