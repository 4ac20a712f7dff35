package dev.sluice.core.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One backend's counters on one event loop: active requests, totals, successes and failures, the current run
 * of consecutive failures (read by passive outlier detection) and open connections.
 *
 * <p>Single writer (the owning loop); any thread reads. Opaque stores, no allocation. Readers on other
 * threads (the health loop every poll) see recent, not instant, values, and may see the counters of one
 * request end slightly out of step with each other; outlier detection tolerates that.
 */
public final class BackendCounters {

    private static final VarHandle ACTIVE;
    private static final VarHandle REQUESTS;
    private static final VarHandle SUCCESSES;
    private static final VarHandle FAILURES;
    private static final VarHandle CONSECUTIVE;
    private static final VarHandle OPEN;
    private static final VarHandle REUSES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ACTIVE = l.findVarHandle(BackendCounters.class, "active", long.class);
            REQUESTS = l.findVarHandle(BackendCounters.class, "requests", long.class);
            SUCCESSES = l.findVarHandle(BackendCounters.class, "successes", long.class);
            FAILURES = l.findVarHandle(BackendCounters.class, "failures", long.class);
            CONSECUTIVE = l.findVarHandle(BackendCounters.class, "consecutiveFailures", long.class);
            OPEN = l.findVarHandle(BackendCounters.class, "openConnections", long.class);
            REUSES = l.findVarHandle(BackendCounters.class, "reuses", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Padding keeps the hot fields of loops' instances off each other's cache lines.
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
    private long active;
    private long requests;
    private long successes;
    private long failures;
    private long consecutiveFailures;
    private long openConnections;
    private long reuses;
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7;

    /** A request was sent to this backend. */
    public void requestStarted() {
        ACTIVE.setOpaque(this, active + 1);
        REQUESTS.setOpaque(this, requests + 1);
    }

    /**
     * A request to this backend ended; {@code failed} for connect failure, reset, timeout or 5xx.
     * The outcome counters are written with release stores, which outlier detection's reader requires
     * (on x86 a release store is a plain store: no fence on the hot path).
     */
    public void requestEnded(boolean failed) {
        ACTIVE.setOpaque(this, active - 1);
        if (failed) {
            FAILURES.setRelease(this, failures + 1);
            CONSECUTIVE.setRelease(this, consecutiveFailures + 1);
        } else {
            SUCCESSES.setRelease(this, successes + 1);
            if (consecutiveFailures != 0) {
                CONSECUTIVE.setRelease(this, 0L);
            }
        }
    }

    public void connectionOpened() {
        OPEN.setOpaque(this, openConnections + 1);
    }

    public void connectionClosed() {
        OPEN.setOpaque(this, openConnections - 1);
    }

    public void reused() {
        REUSES.setOpaque(this, reuses + 1);
    }

    public long active() {
        return (long) ACTIVE.getOpaque(this);
    }

    public long requests() {
        return (long) REQUESTS.getOpaque(this);
    }

    /** Requests that ended without failing. */
    public long successes() {
        return (long) SUCCESSES.getAcquire(this);
    }

    public long failures() {
        return (long) FAILURES.getAcquire(this);
    }

    public long consecutiveFailures() {
        return (long) CONSECUTIVE.getAcquire(this);
    }

    public long openConnections() {
        return (long) OPEN.getOpaque(this);
    }

    public long reuses() {
        return (long) REUSES.getOpaque(this);
    }
}
