package dev.sluice.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One probe in flight: its promise, its deadline and its connection. Completing it (by a result, the deadline
 * or a cancellation of the promise) cancels the deadline and closes the connection, exactly once.
 *
 * <p>Confined to its event loop: every method is called on {@code loop}.
 */
final class ProbeAttempt {

    private final Promise<ProbeResult> promise;
    private final ScheduledFuture<?> deadline;
    private final Duration timeout;
    private Channel channel;
    private String phase = "connecting";

    private ProbeAttempt(EventLoop loop, Duration timeout) {
        this.promise = loop.newPromise();
        this.timeout = timeout;
        this.deadline = loop.schedule(this::onDeadline, timeout.toNanos(), TimeUnit.NANOSECONDS);
        // A caller cancelling the probe (shutdown, backend removed) must not leave the connection open.
        promise.addListener(f -> {
            if (f.isCancelled()) {
                release();
            }
        });
    }

    /** Starts the deadline clock; call on the loop. */
    static ProbeAttempt start(EventLoop loop, Duration timeout) {
        return new ProbeAttempt(loop, timeout);
    }

    /**
     * Runs {@code starter} on {@code loop} and returns its attempt's future; from another thread, a relay
     * future that follows the attempt and cancels it when cancelled itself.
     */
    static Future<ProbeResult> onLoop(EventLoop loop, Supplier<ProbeAttempt> starter) {
        if (loop.inEventLoop()) {
            return starter.get().future();
        }
        // Keeps every probe's state on its loop; the caller gets a future that the loop completes.
        Promise<ProbeResult> relay = loop.newPromise();
        loop.execute(() -> {
            ProbeAttempt attempt = starter.get();
            relay.addListener(f -> {
                if (f.isCancelled()) {
                    attempt.future().cancel(false);
                }
            });
            attempt.future().addListener(f -> relay.trySuccess(attempt.promise.getNow()));
        });
        return relay;
    }

    Future<ProbeResult> future() {
        return promise;
    }

    /** Records the connection being made and completes the attempt when the connect fails. */
    void connecting(ChannelFuture connect) {
        channel = connect.channel();
        if (promise.isDone()) {
            channel.close();
            return;
        }
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                complete(ProbeResult.unhealthy("connect failed: " + describe(f.cause())));
            }
        });
    }

    /** Names what the probe is waiting for, so a timeout says where it stalled. */
    void phase(String waitingFor) {
        phase = waitingFor;
    }

    boolean isDone() {
        return promise.isDone();
    }

    /** Completes the probe with {@code result} unless it is already complete; releases the connection. */
    void complete(ProbeResult result) {
        if (promise.trySuccess(result)) {
            release();
        }
    }

    private void onDeadline() {
        complete(ProbeResult.unhealthy("timed out after " + timeout.toMillis() + "ms while " + phase));
    }

    private void release() {
        deadline.cancel(false);
        if (channel != null) {
            channel.close();
        }
    }

    /** A short cause for a transport error: the message when there is one, else the exception's name. */
    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        if (t instanceof ClosedChannelException) {
            return "connection closed";
        }
        String message = t.getMessage();
        if (message == null || message.isEmpty()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof ConnectException) {
            // Netty appends the address; the backend is already named by whoever logs the cause.
            int colon = message.indexOf(": ");
            return colon > 0 ? message.substring(0, colon) : message;
        }
        return message;
    }
}
