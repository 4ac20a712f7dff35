package dev.sluice.core.testing;

import io.netty.buffer.PooledByteBufAllocator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the pooled allocator's direct and heap memory in use while a transfer runs and keeps the peak:
 * if any stage buffered a whole body, the peak would grow with the body size.
 */
public final class MemoryProbe implements AutoCloseable {

    private final AtomicLong peak = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "memory-probe");
        t.setDaemon(true);
        return t;
    });

    public MemoryProbe() {
        sampler.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        var m = PooledByteBufAllocator.DEFAULT.metric();
        long used = m.usedDirectMemory() + m.usedHeapMemory();
        peak.accumulateAndGet(used, Math::max);
    }

    /** The highest pooled memory seen so far, in bytes. */
    public long peakBytes() {
        sample();
        return peak.get();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
