package dev.sluice.policy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rate bucket: its arithmetic ({@link RateBucket}) on the time a {@link Consumer} keeps. */
class RateBucketTest {

    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;
    PolicyStore store;

    @BeforeEach
    void open() {
        store = PolicyStore.open(dir); // a consumer needs its quota word, unused here
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A consumer whose bucket is full at {@code nowNanos}. */
    private Consumer consumer(long nowNanos) {
        return new Consumer("acme", 0, false, Consumer.Limits.of(null), List.of(), nowNanos,
                store.quotaCounter("acme"));
    }

    @Test
    void shouldAdmitExactlyTheBurstFromManyThreadsAtOneInstant() throws Exception {
        long burst = 500_000; // large enough that the threads contend for the bucket's time for milliseconds
        Consumer consumer = consumer(0);
        AtomicInteger admitted = new AtomicInteger();
        runTogether(4, () -> {
            for (int i = 0; i < burst; i++) {
                if (consumer.tryAcquireToken(5 * SECOND, SECOND / 100, burst) >= 0) {
                    admitted.incrementAndGet();
                }
            }
        });
        assertEquals(burst, admitted.get()); // one shared bucket: no over-admission across threads
        assertEquals(0, consumer.tokensAvailable(5 * SECOND, SECOND / 100, burst));
    }

    @Test
    void shouldAdmitExactlyTheRateFromManyThreadsAsTimeGoesOn() throws Exception {
        Consumer consumer = consumer(0);
        AtomicInteger admitted = new AtomicInteger();
        runTogether(4, () -> {
            for (int ms = 0; ms < 1_000; ms++) { // every thread walks one second, a millisecond at a time
                for (int i = 0; i < 10; i++) {
                    if (consumer.tryAcquireToken(ms * SECOND / 1_000, SECOND / 100, 5) >= 0) {
                        admitted.incrementAndGet();
                    }
                }
            }
        });
        // a full bucket of 5, then one per 10 ms up to the latest time presented (999 ms): each thread is refused
        // at each millisecond, so no time goes unused, and a thread behind the others only finds the bucket emptier
        assertEquals(5 + 99, admitted.get());
    }

    /** Runs {@code body} on {@code threads} threads released at once, and waits for all of them. */
    private static void runTogether(int threads, Runnable body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        Thread[] started = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            started[t] = new Thread(() -> {
                await(start);
                body.run();
            });
            started[t].start();
        }
        start.countDown();
        for (Thread t : started) {
            t.join();
        }
    }

    private static void await(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldTellHowLongUntilTheNextToken() {
        Consumer consumer = consumer(0);
        assertEquals(1, consumer.tryAcquireToken(0, SECOND, 2));
        assertEquals(0, consumer.tryAcquireToken(0, SECOND, 2));
        assertEquals(-1 - SECOND, consumer.tryAcquireToken(0, SECOND, 2));
        assertEquals(-1 - SECOND / 4, consumer.tryAcquireToken(3 * SECOND / 4, SECOND, 2));
        assertEquals(0, consumer.tryAcquireToken(SECOND, SECOND, 2));
        assertEquals(2 * SECOND, consumer.nanosUntilBucketFull(SECOND));
        assertEquals(0, consumer.tokensAvailable(SECOND, SECOND, 2));
        assertEquals(1, consumer.tokensAvailable(2 * SECOND, SECOND, 2));
        assertEquals(0, consumer.nanosUntilBucketFull(3 * SECOND));
    }

    @Test
    void shouldNotSaveUnusedTimeBeyondTheBurst() {
        Consumer consumer = consumer(0);
        assertEquals(2, consumer.tryAcquireToken(3600 * SECOND, SECOND, 3));
        assertEquals(2, consumer.tokensAvailable(3600 * SECOND, SECOND, 3));
    }

    @Test
    void shouldSeeTheBucketEmptierForARequestOlderThanOneCounted() {
        Consumer consumer = consumer(0);
        assertEquals(1, consumer.tryAcquireToken(10 * SECOND, SECOND, 2));
        // another loop's request that arrived half a second earlier: refused a moment early, never over the limit
        assertEquals(-1 - SECOND / 2, consumer.tryAcquireToken(10 * SECOND - SECOND / 2, SECOND, 2));
        assertEquals(0, consumer.tryAcquireToken(10 * SECOND, SECOND, 2));
    }

    @Test
    void shouldCompareTimesAcrossTheWrapOfNanoTime() {
        long beforeWrap = Long.MAX_VALUE - SECOND / 2;
        Consumer consumer = consumer(beforeWrap);
        assertEquals(0, consumer.tryAcquireToken(beforeWrap, SECOND, 1)); // its time is now past the wrap
        assertEquals(-1 - SECOND, consumer.tryAcquireToken(beforeWrap, SECOND, 1));
        assertEquals(SECOND, consumer.nanosUntilBucketFull(beforeWrap));
        assertEquals(0, consumer.tryAcquireToken(beforeWrap + SECOND, SECOND, 1));
    }

    @Test
    void shouldApplyAnotherRateAndBurstFromTheNextRequest() {
        Consumer consumer = consumer(0);
        assertEquals(0, consumer.tryAcquireToken(0, SECOND, 1));
        assertEquals(-1 - 4 * SECOND / 10, consumer.tryAcquireToken(6 * SECOND / 10, SECOND, 1));
        // a plan of 10 per second with a burst of 5 from the next request on: the time counted so far carries over
        assertEquals(-1 - SECOND / 10, consumer.tryAcquireToken(5 * SECOND / 10, SECOND / 10, 5));
        assertEquals(0, consumer.tryAcquireToken(6 * SECOND / 10, SECOND / 10, 5));
        assertEquals(0, consumer.tokensAvailable(6 * SECOND / 10, SECOND / 10, 5));
    }

    @Test
    void shouldAnswerThePureFunctionsWithoutAnyState() {
        assertEquals(SECOND, RateBucket.next(0, 0, SECOND));
        assertEquals(3 * SECOND, RateBucket.next(2 * SECOND, SECOND, SECOND), "a time ahead is built on");
        assertEquals(6 * SECOND, RateBucket.next(2 * SECOND, 5 * SECOND, SECOND), "a time behind is now");
        assertEquals(2, RateBucket.tokensLeft(SECOND, 0, SECOND, 3));
        assertEquals(0, RateBucket.tokensLeft(3 * SECOND, 0, SECOND, 3));
        assertEquals(-1 - SECOND, RateBucket.tokensLeft(4 * SECOND, 0, SECOND, 3));
        assertEquals(3, RateBucket.available(0, 0, SECOND, 3));
        assertEquals(1, RateBucket.available(2 * SECOND, 0, SECOND, 3));
        assertEquals(2 * SECOND, RateBucket.nanosUntilFull(2 * SECOND, 0));
        assertEquals(0, RateBucket.nanosUntilFull(0, 2 * SECOND));
    }
}
