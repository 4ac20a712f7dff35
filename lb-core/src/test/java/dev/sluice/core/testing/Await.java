package dev.sluice.core.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a bounded timeout; no test asserts on how long it took. */
public final class Await {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + "s waiting for: " + what);
            }
            LockSupport.parkNanos(1_000_000); // polls a condition; never a timing assertion
        }
    }

    /**
     * Holds the calling thread, such as an event loop a test keeps busy, until {@code release} opens; fails after
     * 30 s so that a test that never opens it cannot hold the thread for ever.
     */
    public static void holdUntil(CountDownLatch release, String what) {
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding: " + what, e);
        }
    }
}
