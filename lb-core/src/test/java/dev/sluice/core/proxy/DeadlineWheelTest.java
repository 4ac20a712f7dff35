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
        arm(node, TimeUnit.MILLISECONDS.toNanos(20));
        assertTrue(onLoop(wheel::isTicking), "armed, so ticking");

        assertTrue(node.fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "the deadline fires");
        awaitIdle();
    }

    @Test
    void shouldStopTickingOnceTheLastDeadlineIsCancelled() throws Exception {
        start();
        Node node = new Node();
        arm(node, TimeUnit.HOURS.toNanos(1));
        onLoop(() -> {
            wheel.cancel(node);
            return null;
        });
        awaitIdle();
        assertEquals(1, node.fired.getCount(), "a cancelled deadline never fires");
    }

    @Test
    void shouldKeepTickingWhileADeadlineIsArmed() throws Exception {
        start();
        Node far = new Node();
        arm(far, TimeUnit.HOURS.toNanos(1));
        Node near = new Node();
        arm(near, TimeUnit.MILLISECONDS.toNanos(30));
        assertTrue(near.fired.await(WAIT_SECONDS, TimeUnit.SECONDS));
        // the tick that fired the near deadline, and every later one, still saw the far one armed
        assertTrue(onLoop(wheel::isTicking), "one deadline is still armed");
        assertTrue(onLoop(far::isArmed));
    }

    @Test
    void shouldFireADeadlineArmedAfterTheWheelWentIdle() throws Exception {
        start();
        Node first = new Node();
        arm(first, TimeUnit.MILLISECONDS.toNanos(10));
        assertTrue(first.fired.await(WAIT_SECONDS, TimeUnit.SECONDS));
        awaitIdle();

        Node second = new Node();
        arm(second, TimeUnit.MILLISECONDS.toNanos(10));
        assertTrue(onLoop(wheel::isTicking), "arming an idle wheel starts it again");
        assertTrue(second.fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "and its deadline fires");
    }

    @Test
    void shouldFireADeadlineReArmedFromTheCallbackOfAnother() throws Exception {
        start();
        Node later = new Node();
        Node first = new Node() {
            @Override
            void onDeadline() {
                wheel.arm(later, System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(10));
                super.onDeadline();
            }
        };
        arm(first, TimeUnit.MILLISECONDS.toNanos(10));
        assertTrue(first.fired.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(later.fired.await(WAIT_SECONDS, TimeUnit.SECONDS),
                "armed while the last deadline fired, so the wheel kept ticking for it");
        awaitIdle();
    }

    @Test
    void shouldNotTickAfterItIsStopped() throws Exception {
        start();
        Node node = new Node();
        onLoop(() -> {
            wheel.stop();
            wheel.arm(node, System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(10));
            return null;
        });
        assertFalse(onLoop(wheel::isTicking), "a stopped wheel stays stopped");
    }

    private void start() throws Exception {
        onLoop(() -> {
            wheel.start(loop);
            return null;
        });
    }

    private void arm(Node node, long delayNanos) throws Exception {
        onLoop(() -> {
            wheel.arm(node, System.nanoTime(), delayNanos);
            return null;
        });
    }

    /** Waits, bounded, for a tick to find the wheel empty and stop; fails if none does. */
    private void awaitIdle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (onLoop(wheel::isTicking)) {
            assertTrue(System.nanoTime() < deadline, "the wheel kept ticking with nothing armed");
            Thread.sleep(5);
        }
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
