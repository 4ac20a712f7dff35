package dev.sluice.health;

import java.util.List;

/**
 * The health of one cluster's backends at one moment, for the admin API and metrics. Immutable.
 *
 * @param cluster            the cluster name
 * @param backends           one entry per backend, in the order of the cluster's backend set
 * @param ejectionsRefused   ejections the max ejection percent refused
 */
public record ClusterHealthSnapshot(String cluster, List<BackendHealthSnapshot> backends, long ejectionsRefused) {

    public ClusterHealthSnapshot {
        backends = List.copyOf(backends);
    }

    /** The entry for {@code address} (canonical text form), or {@code null}. */
    public BackendHealthSnapshot backend(String address) {
        for (BackendHealthSnapshot b : backends) {
            if (b.backend().toString().equals(address)) {
                return b;
            }
        }
        return null;
    }
}
