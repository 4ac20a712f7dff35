package dev.sluice.core.proxy;

import dev.sluice.core.config.ListenerLimits;

/**
 * The one deadline a client connection has armed at a time, as a node of its loop's {@link DeadlineWheel}: which
 * kind it is, how long each kind runs, and the hand-over to {@link FrontendHandler#onTimeout} when it passes. The
 * client's deadlines run for the listener's limits, taken again before every exchange so a config change applies
 * from the next one; the response deadline runs for the routed cluster's response timeout.
 *
 * <p>Confined to the connection's event loop; one instance per connection, re-armed for every deadline, so
 * arming and cancelling allocate nothing.
 */
final class ConnectionTimer extends DeadlineWheel.Timed {

    private final DeadlineWheel wheel;
    private final FrontendHandler owner;
    private final CurrentExchange exchange;
    private ListenerLimits limits;
    private Deadline kind = Deadline.NONE;

    ConnectionTimer(DeadlineWheel wheel, FrontendHandler owner, CurrentExchange exchange) {
        this.wheel = wheel;
        this.owner = owner;
        this.exchange = exchange;
    }

    /** The listener's limits for the deadlines from now on. */
    void limits(ListenerLimits limits) {
        this.limits = limits;
    }

    /** The kind last armed; {@link Deadline#NONE} once it fired or was disarmed. */
    Deadline kind() {
        return kind;
    }

    /** A new connection: its first request head must start within the shorter of the idle and head timeouts. */
    void armFirstIdle() {
        arm(Deadline.IDLE, Math.min(limits.idleTimeout().toNanos(), limits.requestHeaderTimeout().toNanos()));
    }

    /** Between exchanges: the next request head must start within the idle timeout from {@code nowNanos}. */
    void armIdle(long nowNanos) {
        arm(Deadline.IDLE, limits.idleTimeout().toNanos(), nowNanos);
    }

    /**
     * Bytes arrived from the client; {@code betweenExchanges} when no exchange is in progress. The first bytes of a
     * head give the head its deadline; body bytes renew the body's.
     */
    void onClientBytes(boolean betweenExchanges) {
        if (betweenExchanges && kind == Deadline.IDLE) {
            // The first bytes of a head: from now on the head has an absolute deadline (slowloris defence).
            arm(Deadline.HEAD, limits.requestHeaderTimeout().toNanos());
        } else if (kind == Deadline.BODY) {
            arm(Deadline.BODY, limits.bodyReadTimeout().toNanos());
        }
    }

    /** The client must send its next request body bytes within the listener's body read timeout. */
    void armBodyRead() {
        arm(Deadline.BODY, limits.bodyReadTimeout().toNanos());
    }

    /** The backend must send its next response bytes within the routed cluster's response timeout. */
    void armResponse() {
        arm(Deadline.RESPONSE, exchange.clusterConfig().timeouts().response().toNanos());
    }

    /** The upstream was paused for the client, which must take response bytes again in time. */
    void armClientWrite() {
        // A client that takes no bytes for body_read_timeout is cut off: its buffers are bounded, its slot is not.
        arm(Deadline.WRITE, limits.bodyReadTimeout().toNanos());
    }

    /** Arms (or re-arms) the connection's deadline as {@code kind}, {@code nanos} from now. */
    private void arm(Deadline kind, long nanos) {
        arm(kind, nanos, System.nanoTime());
    }

    /** Arms (or re-arms) the connection's deadline as {@code kind}, {@code nanos} after {@code nowNanos}. */
    private void arm(Deadline kind, long nanos, long nowNanos) {
        this.kind = kind;
        wheel.arm(this, nowNanos, nanos);
    }

    /** Takes the deadline off the wheel, keeping its kind (the connection is gone). */
    void cancel() {
        wheel.cancel(this);
    }

    /** Takes the deadline off the wheel and forgets its kind. */
    void disarm() {
        wheel.cancel(this);
        kind = Deadline.NONE;
    }

    @Override
    void onDeadline() {
        Deadline fired = kind;
        kind = Deadline.NONE;
        owner.onTimeout(fired);
    }
}
