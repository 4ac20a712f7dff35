package dev.sluice.core.proxy;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wheel fires every armed deadline, and its periodic task runs only while deadlines are armed. */
class DeadlineWheelTest {

    private static final long WAIT_SECONDS = 10;
    private static final long DUE = TimeUnit.MILLISECONDS.toNanos(10);

    private final EventLoop loop = new DefaultEventLoop();
    private final DeadlineWheel wheel = new DeadlineWheel(System.nanoTime());

    @AfterEach
    void close() throws Exception {
        onLoop(() -> {
            wheel.stop();
            return null;
        });
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldStopTickingOnceTheLastDeadlineFired() throws Exception {
        start();
        Node node = new Node();
        onLoop(() -> {
            armDue(node);
            assertTrue(wheel.isTicking(), "armed, so ticking");
            tickPastDue();
            return null;
        });
        assertEquals(0, node.fired.getCount(), "the deadline fired");
        assertFalse(onLoop(wheel::isTicking), "the tick that fired the last deadline stopped the task");
    }

    @Test
    void shouldStopTickingOnceTheLastDeadlineIsCancelled() throws Exception {
        start();
        Node node = new Node();
        onLoop(() -> {
            wheel.arm(node, System.nanoTime(), TimeUnit.HOURS.toNanos(1));
            wheel.cancel(node);
            tickPastDue();
            return null;
        });
        assertFalse(onLoop(wheel::isTicking), "nothing armed at the tick");
        assertEquals(1, node.fired.getCount(), "a cancelled deadline never fires");
    }

    @Test
    void shouldKeepTickingWhileADeadlineIsArmed() throws Exception {
        start();
        Node far = new Node();
        Node near = new Node();
        onLoop(() -> {
            wheel.arm(far, System.nanoTime(), TimeUnit.HOURS.toNanos(1));
            armDue(near);
            tickPastDue();
            return null;
        });
        assertEquals(0, near.fired.getCount());
        assertTrue(onLoop(wheel::isTicking), "one deadline is still armed");
        assertTrue(onLoop(far::isArmed));
    }

    @Test
    void shouldFireADeadlineArmedAfterTheWheelWentIdle() throws Exception {
        start();
        Node first = new Node();
        onLoop(() -> {
            armDue(first);
            tickPastDue();
            return null;
        });
        assertFalse(onLoop(wheel::isTicking), "idle");

        Node second = new Node();
        assertTrue(onLoop(() -> {
            wheel.arm(second, System.nanoTime(), DUE);
            return wheel.isTicking();
        }), "arming an idle wheel starts it again");
        assertTrue(second.fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "and its own task fires the deadline");
    }

    @Test
    void shouldKeepTickingForADeadlineArmedFromTheCallbackOfTheLastOne() throws Exception {
        start();
        long hour = TimeUnit.HOURS.toNanos(1);
        Node later = new Node();
        Node first = new Node() {
            @Override
            void onDeadline() {
                wheel.arm(later, System.nanoTime(), hour);
                super.onDeadline();
            }
        };
        boolean tickingAfterTheTick = onLoop(() -> {
            armDue(first);
            tickPastDue();
            return wheel.isTicking();
        });
        assertEquals(0, first.fired.getCount());
        assertTrue(tickingAfterTheTick, "armed while the last deadline fired, so the wheel kept ticking");

        boolean tickingAfterTheHour = onLoop(() -> {
            wheel.tick(System.nanoTime() + 2 * hour);
            return wheel.isTicking();
        });
        assertEquals(0, later.fired.getCount(), "that deadline fires in its turn");
        assertFalse(tickingAfterTheHour, "and then the wheel stops");
    }

    @Test
    void shouldNotTickAfterItIsStopped() throws Exception {
        start();
        Node node = new Node();
        onLoop(() -> {
            wheel.stop();
            wheel.arm(node, System.nanoTime(), DUE);
            return null;
        });
        assertFalse(onLoop(wheel::isTicking), "a stopped wheel stays stopped");
    }

    /** Arms {@code node} 10 ms from now. On the loop. */
    private void armDue(Node node) {
        wheel.arm(node, System.nanoTime(), DUE);
    }

    /** Ticks as if 30 ms had passed: past every deadline {@link #armDue} armed, whatever the wheel's own task did. */
    private void tickPastDue() {
        wheel.tick(System.nanoTime() + 3 * DUE);
    }

    private void start() throws Exception {
        onLoop(() -> {
            wheel.start(loop);
            return null;
        });
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static class Node extends DeadlineWheel.Timed {
        final CountDownLatch fired = new CountDownLatch(1);

        @Override
        void onDeadline() {
            fired.countDown();
        }
    }
}
