package dev.sluice.core.balancer;

/**
 * The ready backends of one {@link BackendSet} version, as dense index arrays, so pickers can draw a random
 * ready backend in O(1). Immutable after construction; built off the event loops (in
 * {@link PickerFactory#buildShared}) and shared by every loop's picker for that version.
 */
final class ReadyList {

    /** Indexes (into the set) of the ready backends, ascending. */
    final int[] indexes;
    /** For each set index, its position in {@link #indexes}, or -1 when that backend is not ready. */
    final int[] positions;

    ReadyList(BackendSet set) {
        this.indexes = new int[set.readyCount()];
        this.positions = new int[set.size()];
        int p = 0;
        for (int i = 0; i < set.size(); i++) {
            if (set.isReady(i)) {
                indexes[p] = i;
                positions[i] = p++;
            } else {
                positions[i] = -1;
            }
        }
    }

    int size() {
        return indexes.length;
    }
}
