package dev.sluice.core.proxy;

/**
 * The one deadline a client connection has armed at a time, as a node of its loop's {@link DeadlineWheel}: which
 * kind it is, and the hand-over to {@link FrontendHandler#onTimeout} when it passes.
 *
 * <p>Confined to the connection's event loop; one instance per connection, re-armed for every deadline, so
 * arming and cancelling allocate nothing.
 */
final class ConnectionTimer extends DeadlineWheel.Timed {

    private final DeadlineWheel wheel;
    private final FrontendHandler owner;
    private Deadline kind = Deadline.NONE;

    ConnectionTimer(DeadlineWheel wheel, FrontendHandler owner) {
        this.wheel = wheel;
        this.owner = owner;
    }

    /** The kind last armed; {@link Deadline#NONE} once it fired or was disarmed. */
    Deadline kind() {
        return kind;
    }

    /** Arms (or re-arms) the connection's deadline as {@code kind}, {@code nanos} from now. */
    void arm(Deadline kind, long nanos) {
        this.kind = kind;
        wheel.arm(this, System.nanoTime(), nanos);
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
