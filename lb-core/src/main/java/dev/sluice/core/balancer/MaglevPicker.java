package dev.sluice.core.balancer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code maglev}: consistent hashing of a request key over a shared, immutable {@link MaglevTable}. A key's
 * backend is {@code table[hash(key) mod M]}.
 *
 * <p>Readiness: when that slot's backend is not ready, the key walks its own probe sequence,
 * {@code slot_i = (slot + i * step) mod M} with {@code step = (rotl(hash, 32) mod (M - 1)) + 1}, to the first
 * slot whose backend is ready. Keys of ready backends never move; the keys of an unready backend spread over
 * the others in proportion to their slots (weights), and each comes back when its backend is ready again.
 * The walk is bounded ({@value #MAX_PROBES} probes; with half the backends down only 1 key in 100 000 gets
 * that far); past it the key takes {@code ready[hash mod readyCount]}, still fixed per key for one
 * backend-set version, so the worst case stays O(1) when almost every backend is down.
 *
 * <p>Retries: attempt {@code a > 0} repeats the lookup with {@code fmix64(hash + a * golden)}, as Envoy rehashes
 * per attempt, and skips the previous attempt's backend and (when three or more are ready) the key's first
 * backend. The answer depends on the key alone, so every loop and instance retries a key on the same backend.
 *
 * <p>No key ({@code hash_key} source absent from the request): the {@code hash_fallback} policy's picker
 * answers, and {@link #keyAbsentPicks()} counts it.
 *
 * <p>Threading: confined to its event loop; the table is shared read-only. The counter is written only by this
 * loop, with an opaque store (no fence, no atomic increment), and read by any thread. Allocation: none per
 * pick (the key is hashed in place).
 */
final class MaglevPicker implements Picker, HashKeyStats {

    static final int MAX_PROBES = 16;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final VarHandle KEY_ABSENT_PICKS;

    static {
        try {
            KEY_ABSENT_PICKS = MethodHandles.lookup().findVarHandle(MaglevPicker.class, "keyAbsentPicks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BackendSet set;
    private final MaglevTable table;
    private final int[] entries;
    private final int tableSize;
    /** Reciprocal of {@code tableSize - 1} for the probe step (see {@link StableHash#mod(long, int, long)}). */
    private final long stepReciprocal;
    private final int[] ready;
    private final HashKey key;
    private final Picker fallback;
    @SuppressWarnings("unused") // written and read through KEY_ABSENT_PICKS
    private long keyAbsentPicks;

    MaglevPicker(BackendSet set, MaglevTable table, ReadyList ready, HashKey key, Picker fallback) {
        if (table.backendCount() != set.size()) {
            throw new IllegalArgumentException("maglev table has " + table.backendCount() + " backends, the set "
                    + set.size());
        }
        this.set = set;
        this.table = table;
        this.entries = table.entries;
        this.tableSize = table.tableSize();
        this.stepReciprocal = tableSize > 2 ? StableHash.reciprocal(tableSize - 1) : 0L;
        this.ready = ready.indexes;
        this.key = key;
        this.fallback = fallback;
    }

    @Override
    public int pick(PickContext ctx, int attempt) {
        if (ready.length == 0) {
            return NO_BACKEND;
        }
        long hash = key.hash(ctx);
        if (hash == HashKey.ABSENT) {
            if (attempt == 0) {
                KEY_ABSENT_PICKS.setOpaque(this, keyAbsentPicks + 1); // single writer: a plain read of our own field is exact
            }
            return fallback.pick(ctx, attempt);
        }
        int home = lookup(hash, -1, -1);
        int previous = home;
        for (int a = 1; a <= attempt && ready.length > 1; a++) {
            int avoidHome = ready.length > 2 ? home : -1;
            previous = lookup(StableHash.fmix64(hash + a * GOLDEN_GAMMA), previous, avoidHome);
        }
        return previous;
    }

    /** The first ready backend other than {@code avoidA}/{@code avoidB} along the key's probe sequence. */
    private int lookup(long hash, int avoidA, int avoidB) {
        int m = tableSize;
        int slot = table.slotFor(hash);
        int b = entries[slot];
        if (usable(b, avoidA, avoidB)) {
            return b;
        }
        int step = m == 2 ? 1 : StableHash.mod(Long.rotateLeft(hash, 32), m - 1, stepReciprocal) + 1;
        for (int i = 0; i < MAX_PROBES; i++) {
            slot += step;
            if (slot >= m) {
                slot -= m;
            }
            b = entries[slot];
            if (usable(b, avoidA, avoidB)) {
                return b;
            }
        }
        int n = ready.length;
        int start = StableHash.mod(hash, n);
        for (int i = 0; i < n; i++) {
            int candidate = ready[start + i < n ? start + i : start + i - n];
            if (candidate != avoidA && candidate != avoidB) {
                return candidate;
            }
        }
        return ready[start]; // only avoided backends are ready: a repeat beats no answer
    }

    private boolean usable(int backend, int avoidA, int avoidB) {
        return backend >= 0 && backend != avoidA && backend != avoidB && set.isReady(backend);
    }

    @Override
    public long keyAbsentPicks() {
        return (long) KEY_ABSENT_PICKS.getOpaque(this);
    }

    @Override
    public void onRequestStart(int index) {
        fallback.onRequestStart(index);
    }

    @Override
    public void onRequestEnd(int index, long latencyNanos, boolean failed) {
        fallback.onRequestEnd(index, latencyNanos, failed);
    }
}
