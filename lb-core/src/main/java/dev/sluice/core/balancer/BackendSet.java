package dev.sluice.core.balancer;

import java.util.List;

/**
 * An immutable, versioned list of a cluster's backends. A new version is built off the event loops for every
 * change (backend added, removed, re-weighted, drained, or a readiness flip) and published with one volatile
 * write; event loops notice the new version on their next request.
 *
 * <p>Indexes are stable within one version only; pickers work on indexes, everything that outlives a
 * version (pools, stats) keys on {@link Backend#address()}.
 */
public final class BackendSet {

    private final long version;
    private final Backend[] backends;
    private final boolean[] ready;
    private final int readyCount;
    private final boolean panic;

    private BackendSet(long version, Backend[] backends, boolean panic) {
        this.version = version;
        this.backends = backends;
        this.ready = new boolean[backends.length];
        this.panic = panic;
        int count = 0;
        for (int i = 0; i < backends.length; i++) {
            Backend b = backends[i];
            // In panic mode every enabled backend counts as ready, rather than overloading the few healthy ones.
            boolean r = panic ? b.state() == dev.sluice.core.config.BackendState.ACTIVE : b.isReady();
            ready[i] = r;
            if (r) {
                count++;
            }
        }
        this.readyCount = count;
    }

    /** Builds a set; the list is copied. */
    public static BackendSet of(long version, List<Backend> backends) {
        return new BackendSet(version, backends.toArray(new Backend[0]), false);
    }

    /** Builds a set in panic mode: readiness ignores health and follows only the operator state. */
    public static BackendSet ofPanic(long version, List<Backend> backends) {
        return new BackendSet(version, backends.toArray(new Backend[0]), true);
    }

    public long version() {
        return version;
    }

    public int size() {
        return backends.length;
    }

    public Backend get(int index) {
        return backends[index];
    }

    /** Whether backend {@code index} may take a new request (healthy AND active, or active in panic mode). */
    public boolean isReady(int index) {
        return ready[index];
    }

    public int readyCount() {
        return readyCount;
    }

    /** Whether this version was built in panic mode. */
    public boolean isPanic() {
        return panic;
    }

    /** The index of the backend with this address text, or -1. Off the hot path. */
    public int indexOf(String address) {
        for (int i = 0; i < backends.length; i++) {
            if (backends[i].address().toString().equals(address)) {
                return i;
            }
        }
        return -1;
    }

    /** A copy of the backends, for readers off the hot path. */
    public List<Backend> backends() {
        return List.of(backends);
    }
}
