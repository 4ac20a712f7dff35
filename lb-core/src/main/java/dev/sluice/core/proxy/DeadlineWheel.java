package dev.sluice.core.proxy;

import io.netty.channel.EventLoop;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hashed timer wheel for per-connection deadlines (header, body, idle and response timeouts).
 *
 * <p>Confined to its event loop. Arming, re-arming and cancelling are O(1) and allocate nothing: each
 * connection owns one intrusive {@link Timed} node. One periodic task per loop advances the wheel every
 * {@link #TICK_NANOS}, so deadlines fire up to one tick late; a per-request {@code schedule()} would allocate
 * a task object per request and churn the loop's priority queue instead.
 *
 * <p>The task runs only while the wheel holds deadlines: a tick that finds none armed stops it, and the next
 * {@link #arm} starts it again (one task object per such restart). So a loop without connections does not wake
 * every tick, and a request that arms and disarms deadlines within one tick does not restart anything.
 */
final class DeadlineWheel {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int SLOTS = 512; // a power of two: slot = tick & MASK
    private static final int MASK = SLOTS - 1;

    /** A node a connection embeds; fired on the wheel's loop when its deadline has passed. */
    abstract static class Timed {
        Timed prev;
        Timed next;
        long deadlineTick = -1;

        /** Called on the loop once the deadline passed; the node is already unlinked. */
        abstract void onDeadline();

        final boolean isArmed() {
            return deadlineTick >= 0;
        }
    }

    private final Timed[] heads = new Timed[SLOTS];
    private final long originNanos;
    private long currentTick;
    private int armed;
    private EventLoop loop; // null until started and after stopped
    private ScheduledFuture<?> ticker; // null while the wheel is idle

    DeadlineWheel(long originNanos) {
        this.originNanos = originNanos;
    }

    /** Ticks on {@code loop} from now on, whenever deadlines are armed. */
    void start(EventLoop loop) {
        this.loop = loop;
        startTicking();
    }

    /** Stops ticking for good: armed deadlines no longer fire. */
    void stop() {
        loop = null;
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    /** Whether the periodic task is scheduled; for tests. */
    boolean isTicking() {
        return ticker != null;
    }

    /** Arms (or re-arms) {@code node} to fire {@code delayNanos} from {@code nowNanos}. */
    void arm(Timed node, long nowNanos, long delayNanos) {
        cancel(node);
        if (ticker == null && loop != null) {
            // nothing was armed while idle, so the ticks missed fired nothing: skip them
            currentTick = Math.max(currentTick, (nowNanos - originNanos) / TICK_NANOS);
            startTicking();
        }
        armed++;
        long tick = Math.max(currentTick + 1, (nowNanos - originNanos + delayNanos + TICK_NANOS - 1) / TICK_NANOS);
        node.deadlineTick = tick;
        int slot = (int) (tick & MASK);
        Timed head = heads[slot];
        node.next = head;
        node.prev = null;
        if (head != null) {
            head.prev = node;
        }
        heads[slot] = node;
    }

    /** Disarms {@code node}; harmless when it is not armed. */
    void cancel(Timed node) {
        if (node.deadlineTick < 0) {
            return;
        }
        int slot = (int) (node.deadlineTick & MASK);
        if (node.prev != null) {
            node.prev.next = node.next;
        } else {
            heads[slot] = node.next;
        }
        if (node.next != null) {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        node.deadlineTick = -1;
        armed--;
    }

    /** Advances to the present, firing every node whose deadline tick has come. */
    void tick() {
        tick(System.nanoTime());
    }

    /** Advances to {@code nowNanos}, firing every node whose deadline tick has come; tests give the time. */
    void tick(long nowNanos) {
        long target = (nowNanos - originNanos) / TICK_NANOS;
        while (currentTick < target) {
            currentTick++;
            int slot = (int) (currentTick & MASK);
            Timed node = heads[slot];
            while (node != null) {
                if (node.deadlineTick <= currentTick) {
                    cancel(node);
                    node.onDeadline();
                    // The callback may have cancelled or armed other nodes: walk the slot again from its head.
                    node = heads[slot];
                } else {
                    node = node.next;
                }
            }
        }
        if (armed == 0 && ticker != null) {
            ticker.cancel(false); // the task is not run again; arm() schedules a new one
            ticker = null;
        }
    }

    private void startTicking() {
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }
}
