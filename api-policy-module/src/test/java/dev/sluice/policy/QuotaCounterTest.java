package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.sluice.policy.QuotaPeriodTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quota word when loops disagree about which period it is. */
class QuotaCounterTest {

    @TempDir
    Path dir;

    @Test
    void shouldCountALateRequestInTheNewPeriodOnceAnotherLoopStartedIt() {
        try (PolicyStore store = PolicyStore.open(dir)) {
            QuotaCounter c = store.quotaCounter("acme");
            long lastMilliOfDay = at("2026-11-28T23:59:59.999Z");
            long nextDay = lastMilliOfDay + 1;
            assertEquals(1, c.tryReserve(2, QuotaPeriod.DAY, lastMilliOfDay));
            assertEquals(2, c.tryReserve(2, QuotaPeriod.DAY, lastMilliOfDay));
            assertEquals(-1, c.tryReserve(2, QuotaPeriod.DAY, lastMilliOfDay));

            assertEquals(1, c.tryReserve(2, QuotaPeriod.DAY, nextDay), "one loop is in the new day");
            // another loop read its clock just before midnight: restarting the old day would admit a third request
            // in it, and then the new day would restart at 0 as well
            assertEquals(2, c.tryReserve(2, QuotaPeriod.DAY, lastMilliOfDay));
            assertEquals(-1, c.tryReserve(2, QuotaPeriod.DAY, lastMilliOfDay));
            assertEquals(-1, c.tryReserve(2, QuotaPeriod.DAY, nextDay));
            assertEquals(2, c.used(QuotaPeriod.DAY, nextDay));
        }
    }

    @Test
    void shouldStartTheCurrentPeriodAfreshWhenTheWordIsFurtherAheadThanTheNextPeriod() {
        try (PolicyStore store = PolicyStore.open(dir)) {
            QuotaCounter c = store.quotaCounter("acme");
            long now = at("2026-11-28T12:00:00Z");
            long wrongClock = at("2027-11-28T12:00:00Z"); // a clock set a year ahead, then put right
            assertEquals(1, c.tryReserve(1, QuotaPeriod.MONTH, wrongClock));
            assertEquals(-1, c.tryReserve(1, QuotaPeriod.MONTH, wrongClock));
            assertEquals(1, c.tryReserve(1, QuotaPeriod.MONTH, now));
            assertEquals(1, c.used(QuotaPeriod.MONTH, now));
        }
    }

    @Test
    void shouldNotCountAcrossPeriodKindsWhenAPlanChangesItsPeriod() {
        try (PolicyStore store = PolicyStore.open(dir)) {
            QuotaCounter c = store.quotaCounter("acme");
            long now = at("2026-11-28T12:00:00Z");
            assertEquals(1, c.tryReserve(1, QuotaPeriod.HOUR, now));
            assertEquals(1, c.tryReserve(1, QuotaPeriod.DAY, now));
            assertEquals(0, c.used(QuotaPeriod.HOUR, now));
        }
    }
}
