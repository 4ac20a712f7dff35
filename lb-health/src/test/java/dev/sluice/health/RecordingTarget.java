package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.balancer.Backend;
import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.config.HostPort;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link HealthTarget} as lb-core's cluster object will be: every verdict publishes a new set version. Records
 * verdicts in order. Thread-safe without locks (the health loop calls it while the test thread changes members).
 */
final class RecordingTarget implements HealthTarget {

    /** One {@link #setHealthy} call. */
    record Verdict(HostPort backend, boolean healthy, String cause) {
    }

    private final AtomicReference<BackendSet> set;
    private final BlockingQueue<Verdict> verdicts = new LinkedBlockingQueue<>();

    RecordingTarget(Backend... backends) {
        set = new AtomicReference<>(BackendSet.of(1, List.of(backends)));
    }

    @Override
    public BackendSet currentBackends() {
        return set.get();
    }

    @Override
    public void setHealthy(HostPort backend, boolean healthy, String cause) {
        set.updateAndGet(s -> {
            List<Backend> list = new ArrayList<>(s.backends());
            list.replaceAll(b -> b.address().equals(backend) ? b.withHealthy(healthy) : b);
            return BackendSet.of(s.version() + 1, list);
        });
        // Recorded after publishing, so a test that saw the verdict also sees the version it made.
        verdicts.add(new Verdict(backend, healthy, cause));
    }

    void add(Backend backend) {
        set.updateAndGet(s -> {
            List<Backend> list = new ArrayList<>(s.backends());
            list.add(backend);
            return BackendSet.of(s.version() + 1, list);
        });
    }

    void remove(HostPort backend) {
        set.updateAndGet(s -> {
            List<Backend> list = new ArrayList<>(s.backends());
            list.removeIf(b -> b.address().equals(backend));
            return BackendSet.of(s.version() + 1, list);
        });
    }

    /** Publishes a version whose backends all claim {@code healthy}, as a set rebuilt from config would. */
    void rebuildAll(boolean healthy) {
        set.updateAndGet(s -> {
            List<Backend> list = new ArrayList<>(s.backends());
            list.replaceAll(b -> b.withHealthy(healthy));
            return BackendSet.of(s.version() + 1, list);
        });
    }

    /** The next verdict, waiting a bounded time for it. */
    Verdict next() {
        try {
            Verdict v = verdicts.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (v == null) {
                throw new AssertionError("no verdict within " + Await.TIMEOUT.toSeconds() + "s");
            }
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a verdict", e);
        }
    }

    /** Verdicts received and not yet taken by {@link #next()}. */
    List<Verdict> pending() {
        return List.copyOf(verdicts);
    }

    boolean isHealthy(HostPort backend) {
        BackendSet s = set.get();
        int i = s.indexOf(backend.toString());
        return i >= 0 && s.get(i).healthy();
    }
}
