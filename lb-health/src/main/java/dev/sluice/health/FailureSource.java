package dev.sluice.health;

import dev.sluice.core.config.HostPort;

import java.util.List;

/**
 * The data plane's failure counters, as read by passive outlier detection. Implemented by lb-core.
 *
 * <p>Threading: {@link #read} is called from the health loop, every poll (100 ms by default), while the event
 * loops keep counting. The data plane keeps the counters per loop with one writer each (no atomics on the hot
 * path); it must publish them with at least release semantics (a {@code volatile} or {@code setRelease}
 * write, or {@code AtomicLong.lazySet}) so this read sees recent values. A read that is a few events stale is
 * fine. The read must not block.
 *
 * <p>Per loop, not merged: merging across loops is the detector's job (see {@link OutlierDetector}), because
 * a merged "consecutive" count cannot be formed from per-loop counts alone.
 */
@FunctionalInterface
public interface FailureSource {

    /** A source with no counters: passive detection never fires. */
    FailureSource NONE = backend -> List.of();

    /**
     * The counters of {@code backend} on every event loop, one element per loop, always in the same loop
     * order and of the same length (the number of loops); an empty list when the data plane has none for it.
     * The list must not be modified afterwards by the data plane.
     */
    List<FailureCounts> read(HostPort backend);
}
