package dev.sluice.health;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.stats.BackendCounters;

import java.util.ArrayList;
import java.util.List;

/**
 * The data plane's per-loop {@link BackendCounters} of one cluster as a {@link FailureSource}.
 *
 * <p>Order and length: {@link ClusterRuntime#backendCounters} lists a backend's loops in the order they first
 * served it and only ever appends, so a loop keeps its position for the life of the process. The list is
 * shorter than the number of loops until every loop has served the backend; each time it grows the outlier
 * detector starts that backend's failure run afresh (as its contract says for a change of length), which can
 * forget a few failures once per loop, early in a backend's life. A backend removed and added back gets fresh
 * counters appended after its old ones, which stay at their final values and so count nothing new.
 *
 * <p>Threading: called on the health loop every poll; the loops keep writing. Each read allocates a small
 * list, off the data plane. Never blocks.
 */
final class LoopFailureSource implements FailureSource {

    private final ClusterRuntime runtime;

    LoopFailureSource(ClusterRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<FailureCounts> read(HostPort backend) {
        List<BackendCounters> loops = runtime.backendCounters(backend);
        List<FailureCounts> counts = new ArrayList<>(loops.size());
        for (BackendCounters c : loops) { // a copy-on-write list: iteration sees one consistent array
            counts.add(new FailureCounts(c.successes(), c.failures(), c.consecutiveFailures()));
        }
        return List.copyOf(counts);
    }
}
