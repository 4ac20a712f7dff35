package dev.sluice.policy;

import dev.sluice.policy.config.QuotaPeriod;

/**
 * One consumer's quota usage for the current calendar period, kept in one 64-bit word of the memory-mapped store
 * so that every event loop, and every later process, sees the same count. Layout: period kind (2 bits), period
 * number (26 bits, enough for minutes until 2097) and requests used (36 bits).
 *
 * <p>Reserve-then-admit: {@link #tryReserve} counts the request with a compare-and-set <em>before</em> it is
 * admitted, so a crash (even {@code kill -9}) between the two can only leave a request counted but not served:
 * the quota is never exceeded. The word lives in a shared file mapping, so the compare-and-set is atomic across
 * loops and processes and its result survives the process (the kernel owns the dirty page).
 *
 * <p>Periods only move forward: a request whose clock is still in the period before the one the word already
 * counts (a loop that read the time just before the boundary, or whose clock is a little behind) is counted in the
 * word's period rather than restarting the old one, which would otherwise drop the count of the new period and of
 * the old one alike. A word further ahead than one period is taken as a clock that was wrong and has been put
 * right, and the current period starts at 0, so a mistaken clock cannot hold a quota for years.
 *
 * <p>The word is reached by its native address, fixed when the counter is made ({@link PolicyStore#quotaCounter}):
 * one load from the counter to the word, where a reference through the store library's objects took three.
 *
 * <p>Thread-safe, lock-free, allocation-free. The counter must not be used after its store is closed: the mapping
 * is gone then, and a read or write through the address would crash the JVM.
 */
final class QuotaCounter {

    private static final int USED_BITS = 36;
    private static final long USED_MASK = (1L << USED_BITS) - 1;
    private static final long INDEX_MASK = (1L << 26) - 1;

    /** The word's native address, in the store's mapping; 8-byte aligned. */
    private final long address;
    /**
     * The store that maps the word, kept reachable by the counter: the store library unmaps a file when its map is
     * collected, and the address alone would not keep it.
     */
    private final PolicyStore store;

    /**
     * A counter on the word at {@code address}, in a mapping of {@code store}.
     *
     * @throws IllegalStateException when the address is not aligned to 8 bytes: a compare-and-set on it would not be
     *                               atomic
     */
    QuotaCounter(long address, PolicyStore store) {
        if ((address & 7) != 0) {
            throw new IllegalStateException("the quota word at address 0x" + Long.toHexString(address)
                    + " is not aligned to 8 bytes, so it cannot be compare-and-set atomically");
        }
        this.address = address;
        this.store = store;
    }

    private static long tag(QuotaPeriod period, long index) {
        return ((long) period.ordinal() << 62) | ((index & INDEX_MASK) << USED_BITS);
    }

    /**
     * Counts one request against {@code limit} for the period containing {@code nowMillis}.
     *
     * @return the requests used in this period, this one included, or {@code -1} when the quota is used up
     *         (nothing is counted then)
     */
    long tryReserve(long limit, QuotaPeriod period, long nowMillis) {
        return tryReserveIn(limit, period, period.index(nowMillis));
    }

    /**
     * Counts one request against {@code limit} in period number {@code index} (as {@link QuotaPeriod#index}), or
     * in the next one when the word already counts that.
     *
     * @return the requests used in the period counted, this one included, or {@code -1} when its quota is used up
     *         (nothing is counted then)
     */
    long tryReserveIn(long limit, QuotaPeriod period, long index) {
        long tag = tag(period, index);
        long next = tag(period, index + 1);
        while (true) {
            long current = NativeWords.getVolatile(address);
            long currentTag = current & ~USED_MASK;
            // the period this request counts in: this one, or the next when another loop already started it
            long counted = currentTag == next ? next : tag;
            long used = currentTag == counted ? current & USED_MASK : 0; // a new period starts at 0
            if (used >= limit) {
                return -1;
            }
            if (NativeWords.compareAndSet(address, current, counted | (used + 1))) {
                return used + 1;
            }
        }
    }

    /** Requests counted in the period containing {@code nowMillis}. */
    long used(QuotaPeriod period, long nowMillis) {
        long current = NativeWords.getVolatile(address);
        return (current & ~USED_MASK) == tag(period, period.index(nowMillis)) ? current & USED_MASK : 0;
    }
}
