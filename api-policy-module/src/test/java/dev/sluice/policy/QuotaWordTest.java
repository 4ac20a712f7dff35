package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.policy.QuotaPeriodTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quota words in the mapped store: one per consumer, counted exactly, kept in the file. */
class QuotaWordTest {

    static final int CONSUMERS = 2_000; // enough to spread over every segment of the map
    static final long NOW = at("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldKeepEachConsumersCountInItsOwnWordWhileManyConsumersShareTheStore() throws Exception {
        try (PolicyStore store = PolicyStore.open(dir)) {
            List<QuotaCounter> counters = new ArrayList<>();
            for (int i = 0; i < CONSUMERS; i++) {
                counters.add(store.quotaCounter("consumer-" + i)); // every counter made before any is used
            }
            for (int i = 0; i < CONSUMERS; i++) {
                for (int n = 0; n < expected(i); n++) {
                    counters.get(i).tryReserve(1_000, QuotaPeriod.DAY, NOW);
                }
            }
            for (int i = 0; i < CONSUMERS; i++) {
                assertEquals(expected(i), counters.get(i).used(QuotaPeriod.DAY, NOW), "consumer-" + i);
            }
        }
        // read back by the map itself, from the file: each count is in its own consumer's entry
        try (ChronicleMap<String, LongValue> quota = ChronicleMap.of(String.class, LongValue.class)
                .createPersistedTo(new File(dir.toFile(), PolicyStore.QUOTA_FILE))) {
            for (int i = 0; i < CONSUMERS; i++) {
                LongValue word = quota.get("consumer-" + i);
                assertNotNull(word, "consumer-" + i);
                assertEquals(expected(i), word.getValue() & ((1L << 36) - 1), "consumer-" + i);
            }
        }
    }

    @Test
    void shouldCountExactlyTheLimitWhenThreadsReserveOnSeveralConsumersAtOnce() throws Exception {
        long limit = 100_000;
        try (PolicyStore store = PolicyStore.open(dir)) {
            QuotaCounter[] counters = {store.quotaCounter("acme"), store.quotaCounter("globex")};
            AtomicLong[] admitted = {new AtomicLong(), new AtomicLong()};
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                int first = t % 2; // each thread alternates between the two words, two threads start on each
                threads[t] = new Thread(() -> {
                    boolean[] open = {true, true};
                    for (int n = first; open[0] || open[1]; n++) {
                        int c = n % 2;
                        if (open[c]) {
                            if (counters[c].tryReserve(limit, QuotaPeriod.DAY, NOW) > 0) {
                                admitted[c].incrementAndGet();
                            } else {
                                open[c] = false;
                            }
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int c = 0; c < counters.length; c++) {
                assertEquals(limit, admitted[c].get(), "admitted on word " + c);
                assertEquals(limit, counters[c].used(QuotaPeriod.DAY, NOW), "counted in word " + c);
            }
        }
    }

    @Test
    void shouldRefuseAWordThatIsNotAlignedToEightBytes() {
        try (PolicyStore store = PolicyStore.open(dir)) {
            // never read nor written: the check comes first
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new QuotaCounter(0x7f00_0000_1004L, store));
            assertTrue(e.getMessage().contains("not aligned to 8 bytes"), e.getMessage());
        }
    }

    private static long expected(int consumer) {
        return consumer % 7 + 1;
    }
}
