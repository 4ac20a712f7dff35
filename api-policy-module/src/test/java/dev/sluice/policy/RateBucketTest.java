package dev.sluice.policy;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateBucketTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAdmitExactlyTheBurstFromManyThreadsAtOneInstant() throws Exception {
        RateBucket bucket = new RateBucket(0);
        AtomicInteger admitted = new AtomicInteger();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (bucket.tryAcquire(5 * SECOND, SECOND / 100, 250) >= 0) {
                        admitted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(250, admitted.get()); // one shared bucket: no over-admission across threads
    }

    @Test
    void shouldTellHowLongUntilTheNextToken() {
        RateBucket bucket = new RateBucket(0);
        assertEquals(1, bucket.tryAcquire(0, SECOND, 2));
        assertEquals(0, bucket.tryAcquire(0, SECOND, 2));
        assertEquals(-1 - SECOND, bucket.tryAcquire(0, SECOND, 2));
        assertEquals(-1 - SECOND / 4, bucket.tryAcquire(3 * SECOND / 4, SECOND, 2));
        assertEquals(0, bucket.tryAcquire(SECOND, SECOND, 2));
        assertEquals(2 * SECOND, bucket.nanosUntilFull(SECOND));
    }

    @Test
    void shouldNotSaveUnusedTimeBeyondTheBurst() {
        RateBucket bucket = new RateBucket(0);
        assertEquals(2, bucket.tryAcquire(3600 * SECOND, SECOND, 3));
        assertEquals(2, bucket.available(3600 * SECOND, SECOND, 3));
    }
}
