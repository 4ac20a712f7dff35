package dev.sluice.core.balancer;

import dev.sluice.core.config.ClusterConfig;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code maglev}: consistent hashing on {@code hash_key} through a {@link MaglevTable} of
 * {@code maglev_table_size} slots, with the {@code hash_fallback} policy for requests without a key.
 *
 * <p>The table is built in {@link #buildShared}, off the event loops. A readiness flip publishes a new
 * backend-set version but changes no member or weight, so the table of the cluster's previous version is reused
 * when its members, weights and size are unchanged (thread-safe: tables are immutable, the cache is a
 * concurrent map holding one table per cluster name).
 */
final class MaglevPickerFactory implements PickerFactory<MaglevPickerFactory.Shared> {

    /** Everything one backend-set version's pickers share. Immutable. */
    record Shared(MaglevTable table, ReadyList ready, HashKey key, Fallback<?> fallback) {
    }

    /** The fallback policy's factory and its shared state, kept together so their types agree. */
    record Fallback<T>(PickerFactory<T> factory, T shared) {
        static <T> Fallback<T> build(PickerFactory<T> factory, BackendSet set, ClusterConfig config) {
            return new Fallback<>(factory, factory.buildShared(set, config));
        }

        Picker newPicker(BackendSet set, EventLoop loop) {
            return factory.newPicker(set, shared, loop);
        }
    }

    private final ConcurrentHashMap<String, MaglevTable> lastTableByCluster = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "maglev";
    }

    /**
     * @throws IllegalArgumentException for a bad {@code hash_key}, an unknown or {@code maglev}
     *                                  {@code hash_fallback}, or a table size that is not an accepted prime
     */
    @Override
    public Shared buildShared(BackendSet set, ClusterConfig config) {
        HashKey key = HashKey.parse(config.hashKey());
        String fallbackName = config.hashFallback() == null ? "random" : config.hashFallback();
        PickerFactory<?> fallbackFactory = PickerFactories.get(fallbackName);
        if (fallbackFactory == null || fallbackName.equals(name())) {
            throw new IllegalArgumentException("cluster " + config.name() + ": hash_fallback '" + fallbackName
                    + "' is not a policy for requests without a key; use one of "
                    + PickerFactories.names().stream().filter(n -> !n.equals(name())).toList());
        }
        int tableSize = config.maglevTableSize() == 0 ? ClusterConfig.DEFAULT_MAGLEV_TABLE_SIZE : config.maglevTableSize();
        MaglevTable table = tableFor(config.name(), set.backends(), tableSize);
        return new Shared(table, new ReadyList(set), key, Fallback.build(fallbackFactory, set, config));
    }

    private MaglevTable tableFor(String cluster, List<Backend> backends, int tableSize) {
        MaglevTable previous = cluster == null ? null : lastTableByCluster.get(cluster);
        if (previous != null && previous.hasMembers(backends, tableSize)) {
            return previous;
        }
        MaglevTable table = MaglevTable.build(backends, tableSize);
        if (cluster != null) {
            lastTableByCluster.put(cluster, table);
        }
        return table;
    }

    @Override
    public Picker newPicker(BackendSet set, Shared shared, EventLoop loop) {
        return new MaglevPicker(set, shared.table(), shared.ready(), shared.key(), shared.fallback().newPicker(set, loop));
    }
}
