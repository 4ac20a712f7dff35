package dev.sluice.health;

import dev.sluice.core.config.HostPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FailureSource} with a fixed number of loops whose counters the test drives, as the data plane's
 * loops would: a failure bumps {@code failures} and {@code consecutiveFailures}, a success bumps
 * {@code successes} and clears {@code consecutiveFailures}. Safe to drive from the test thread while the health
 * loop reads.
 */
final class FakeFailures implements FailureSource {

    private final int loops;
    private final Map<HostPort, List<FailureCounts>> counts = new ConcurrentHashMap<>();

    FakeFailures(int loops) {
        this.loops = loops;
    }

    /** {@code n} failures on loop {@code loop}. */
    FakeFailures fail(HostPort backend, int loop, int n) {
        counts.compute(backend, (b, old) -> {
            List<FailureCounts> list = old == null ? zeros() : new ArrayList<>(old);
            FailureCounts c = list.get(loop);
            list.set(loop, new FailureCounts(c.successes(), c.failures() + n, c.consecutiveFailures() + n));
            return List.copyOf(list);
        });
        return this;
    }

    /** {@code n} failures on loop 0. */
    FakeFailures fail(HostPort backend, int n) {
        return fail(backend, 0, n);
    }

    /** One success on loop {@code loop}. */
    FakeFailures succeed(HostPort backend, int loop) {
        counts.compute(backend, (b, old) -> {
            List<FailureCounts> list = old == null ? zeros() : new ArrayList<>(old);
            FailureCounts c = list.get(loop);
            list.set(loop, new FailureCounts(c.successes() + 1, c.failures(), 0));
            return List.copyOf(list);
        });
        return this;
    }

    @Override
    public List<FailureCounts> read(HostPort backend) {
        List<FailureCounts> c = counts.get(backend);
        return c != null ? c : List.copyOf(zeros());
    }

    private List<FailureCounts> zeros() {
        List<FailureCounts> list = new ArrayList<>(loops);
        for (int i = 0; i < loops; i++) {
            list.add(FailureCounts.ZERO);
        }
        return list;
    }
}
