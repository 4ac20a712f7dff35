package dev.sluice.admin.systemd;

import io.netty.util.concurrent.EventExecutor;

import java.util.Objects;

/**
 * The notifier used when systemd did not ask for notifications ({@code NOTIFY_SOCKET} unset): every call does
 * nothing. Stateless, hence thread-safe.
 */
enum DisabledNotifier implements SystemdNotifier, Watchdog {
    INSTANCE;

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public void ready(String status) {
        Objects.requireNonNull(status, "status");
    }

    @Override
    public void reloading() {
    }

    @Override
    public void stopping() {
    }

    @Override
    public void status(String status) {
        Objects.requireNonNull(status, "status");
    }

    @Override
    public Watchdog startWatchdog(Iterable<? extends EventExecutor> loops) {
        Objects.requireNonNull(loops, "loops");
        return this;
    }

    @Override
    public long intervalMicros() {
        return 0;
    }

    @Override
    public void close() {
    }
}
