package dev.sluice.policy;

import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. Thread-safe. */
final class FakeClock implements PolicyClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong millis;

    FakeClock(long epochMillis) {
        this.millis = new AtomicLong(epochMillis);
    }

    void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
        millis.addAndGet(ms);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return millis.get();
    }
}
