package dev.sluice.admin.systemd;

/**
 * A running watchdog feeder, returned by {@link SystemdNotifier#startWatchdog(Iterable)}. Thread-safe.
 */
public interface Watchdog extends AutoCloseable {

    /** True when pings are being sent; false when systemd asked for no watchdog. */
    boolean isEnabled();

    /** The period between two checks of the loops, {@code WATCHDOG_USEC / 2} in microseconds; 0 when inactive. */
    long intervalMicros();

    /** Stops the checks and the pings; no further {@code WATCHDOG=1} is sent. Idempotent; blocks briefly. */
    @Override
    void close();
}
