package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuotaPeriodTest {

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldEndEachPeriodOnItsUtcCalendarBoundary() {
        long t = at("2028-02-29T13:45:12.345Z");
        assertEquals(at("2028-02-29T13:46:00Z"), QuotaPeriod.MINUTE.endMillis(t));
        assertEquals(at("2028-02-29T14:00:00Z"), QuotaPeriod.HOUR.endMillis(t));
        assertEquals(at("2028-03-01T00:00:00Z"), QuotaPeriod.DAY.endMillis(t));
        assertEquals(at("2028-03-01T00:00:00Z"), QuotaPeriod.MONTH.endMillis(t));
        assertEquals(at("2027-01-01T00:00:00Z"), QuotaPeriod.MONTH.endMillis(at("2026-12-31T23:59:59.999Z")));
    }

    @Test
    void shouldNumberMonthsLikeTheJavaCalendarForFiftyYears() {
        ZonedDateTime day = ZonedDateTime.of(1990, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < 50 * 366; i++, day = day.plusDays(1)) {
            long ms = day.toInstant().toEpochMilli() + 3_600_000L * (i % 24);
            long expected = (day.getYear() - 1970) * 12L + day.getMonthValue() - 1;
            assertEquals(expected, QuotaPeriod.MONTH.index(ms), day.toString());
            long start = day.withDayOfMonth(1).toInstant().toEpochMilli();
            assertEquals(start, QuotaPeriod.MONTH.startMillis(expected), day.toString());
        }
    }

    @Test
    void shouldStartANewCountInANewPeriod() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("quota-period");
        try (PolicyStore store = PolicyStore.open(dir)) {
            QuotaCounter c = store.quotaCounter("acme");
            long t = at("2026-11-28T23:59:59Z");
            assertEquals(1, c.tryReserve(2, QuotaPeriod.DAY, t));
            assertEquals(2, c.tryReserve(2, QuotaPeriod.DAY, t));
            assertEquals(-1, c.tryReserve(2, QuotaPeriod.DAY, t));
            assertEquals(1, c.tryReserve(2, QuotaPeriod.DAY, t + 1000));
            assertEquals(1, c.used(QuotaPeriod.DAY, t + 1000));
            assertEquals(0, c.used(QuotaPeriod.HOUR, t + 1000), "another period kind does not share the count");
        }
    }
}
