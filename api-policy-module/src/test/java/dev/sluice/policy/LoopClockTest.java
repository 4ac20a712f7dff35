package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;
import org.junit.jupiter.api.Test;

import static dev.sluice.policy.QuotaPeriodTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LoopClockTest {

    /** Two clocks a test sets apart, counting how often the wall clock is read. */
    static final class TwoClocks implements PolicyClock {
        long nanos = 5_000_000_000L;
        long millis;
        int wallReads;
        int monotonicReads;

        TwoClocks(long millis) {
            this.millis = millis;
        }

        @Override
        public long nanoTime() {
            monotonicReads++;
            return nanos;
        }

        @Override
        public long currentTimeMillis() {
            wallReads++;
            return millis;
        }
    }

    @Test
    void shouldReadTheWallClockOnceASecondAndAdvanceItByTheMonotonicClockInBetween() {
        TwoClocks clocks = new TwoClocks(at("2026-11-28T12:00:00Z"));
        LoopClock time = new LoopClock(clocks);
        time.tick(clocks.nanos);
        assertEquals(at("2026-11-28T12:00:00Z"), time.millis());
        for (int i = 0; i < 999; i++) {
            clocks.nanos += 1_000_000L;
            time.tick(clocks.nanos);
        }
        assertEquals(at("2026-11-28T12:00:00.999Z"), time.millis());
        assertEquals(clocks.nanos, time.nanos());
        assertEquals(1, clocks.wallReads);
        clocks.nanos += 1_000_000L;
        clocks.millis += 1_000;
        time.tick(clocks.nanos);
        assertEquals(2, clocks.wallReads);
        assertEquals(at("2026-11-28T12:00:01Z"), time.millis());
        assertEquals(0, clocks.monotonicReads, "the request's own reading is the time: the loop reads no clock for it");
    }

    @Test
    void shouldFollowAWallClockStepWithinASecond() {
        TwoClocks clocks = new TwoClocks(at("2026-11-28T12:00:00Z"));
        LoopClock time = new LoopClock(clocks);
        time.tick(clocks.nanos);
        clocks.millis = at("2026-11-28T11:00:00Z"); // NTP or an operator set the wall clock back an hour
        clocks.nanos += 500_000_000L;
        time.tick(clocks.nanos);
        assertEquals(at("2026-11-28T12:00:00.500Z"), time.millis(), "within the second: still derived");
        clocks.nanos += 500_000_000L;
        time.tick(clocks.nanos);
        assertEquals(at("2026-11-28T11:00:00Z"), time.millis());
    }

    @Test
    void shouldGiveThePeriodsContainingTheLastTickAcrossACalendarBoundary() {
        TwoClocks clocks = new TwoClocks(at("2026-11-30T23:59:59.400Z"));
        LoopClock time = new LoopClock(clocks);
        time.tick(clocks.nanos);
        long november = QuotaPeriod.MONTH.index(at("2026-11-15T00:00:00Z"));
        assertEquals(november, time.periodIndex(QuotaPeriod.MONTH));
        assertEquals(at("2026-12-01T00:00:00Z"), time.periodEndMillis(QuotaPeriod.MONTH));
        assertEquals(at("2026-12-01T00:00:00Z"), time.periodEndMillis(QuotaPeriod.DAY));
        clocks.nanos += 600_000_000L;
        time.tick(clocks.nanos);
        assertEquals(at("2026-12-01T00:00:00Z"), time.millis());
        assertEquals(november + 1, time.periodIndex(QuotaPeriod.MONTH));
        assertEquals(at("2027-01-01T00:00:00Z"), time.periodEndMillis(QuotaPeriod.MONTH));
        assertEquals(at("2026-12-01T00:01:00Z"), time.periodEndMillis(QuotaPeriod.MINUTE));
    }

    @Test
    void shouldRereadTheWallClockWhenTheMonotonicClockGoesBack() {
        TwoClocks clocks = new TwoClocks(at("2026-11-28T12:00:00Z"));
        LoopClock time = new LoopClock(clocks);
        time.tick(clocks.nanos);
        clocks.nanos -= 1;
        time.tick(clocks.nanos);
        assertEquals(2, clocks.wallReads);
    }
}
