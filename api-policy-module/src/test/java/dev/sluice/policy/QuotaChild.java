package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A separate process for the kill test: opens the store and reserves quota from four threads as fast as it can,
 * printing the number admitted so far after each admission, until it is killed.
 */
public final class QuotaChild {

    static final String CONSUMER = "killed";

    private QuotaChild() {
    }

    public static void main(String[] args) throws Exception {
        PolicyStore store = PolicyStore.open(java.nio.file.Path.of(args[0]));
        long limit = Long.parseLong(args[1]);
        QuotaCounter counter = store.quotaCounter(CONSUMER);
        AtomicLong admitted = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                while (counter.tryReserve(limit, QuotaPeriod.DAY, System.currentTimeMillis()) > 0) {
                    long n = admitted.incrementAndGet(); // admitted only after the reservation succeeded
                    synchronized (System.out) {
                        System.out.println(n);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
