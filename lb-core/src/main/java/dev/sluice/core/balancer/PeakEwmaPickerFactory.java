package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/** {@code peak_ewma}: power of two choices on Finagle's peak-EWMA latency times pending requests. */
final class PeakEwmaPickerFactory implements PickerFactory<PeakEwmaPickerFactory.Shared> {

    /** The ready list and decay of one backend-set version. Immutable. */
    record Shared(ReadyList ready, long decayNanos) {
    }

    private final LongSupplier clock;

    PeakEwmaPickerFactory() {
        this(System::nanoTime);
    }

    /** With an injected {@code nanoTime} clock, for deterministic tests. */
    PeakEwmaPickerFactory(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "peak_ewma";
    }

    @Override
    public Shared buildShared(BackendSet set, ClusterConfig config) {
        Duration decay = config.ewmaDecay() == null ? Duration.ofSeconds(10) : config.ewmaDecay();
        if (decay.isZero() || decay.isNegative()) {
            throw new IllegalArgumentException("cluster " + config.name() + ": ewma_decay must be positive, got " + decay);
        }
        return new Shared(new ReadyList(set), decay.toNanos());
    }

    @Override
    public Picker newPicker(BackendSet set, Shared shared, EventLoop loop) {
        // A different seed per picker so loops do not draw the same pairs in lock step.
        return new PeakEwmaPicker(set, shared.ready(), clock, shared.decayNanos(), ThreadLocalRandom.current().nextLong());
    }
}
