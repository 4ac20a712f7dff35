package dev.sluice.policy;

import net.openhft.chronicle.bytes.Byteable;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persistent state of the policy, in two memory-mapped hash-map files under one directory:
 * {@value #CONSUMERS_FILE} (consumer name to its plan and key hashes, see {@link ConsumerRecord}) and
 * {@value #QUOTA_FILE} (consumer name to its {@link QuotaCounter} word). Writes go to the shared mapping, so they
 * survive the process, {@code kill -9} included; several processes and several opens in one process see the same
 * data.
 *
 * <p>Threading: open, close and the consumer methods run on the admin or startup thread; they take the map's
 * per-segment locks for the few microseconds of one entry update (never on an event loop). The event loops only
 * touch {@link QuotaCounter} words, handed out once per consumer by address, with lock-free compare-and-set.
 *
 * <p>Failure: a directory, file or map that cannot be created, read or checked is an {@link IllegalStateException}
 * naming the path; nothing is recreated or truncated, so data is never silently lost.
 */
final class PolicyStore implements AutoCloseable {

    static final String CONSUMERS_FILE = "consumers.dat";
    static final String QUOTA_FILE = "quota.dat";
    private static final int ENTRIES = 10_000;
    private static final double MAX_BLOAT = 20.0; // lets a map grow to 200 000 consumers before it refuses

    private final Path dir;
    private final ChronicleMap<String, String> consumers;
    private final ChronicleMap<String, LongValue> quota;

    private PolicyStore(Path dir, ChronicleMap<String, String> consumers, ChronicleMap<String, LongValue> quota) {
        this.dir = dir;
        this.consumers = consumers;
        this.quota = quota;
    }

    /** Opens (creating when absent) the store in {@code dir}. */
    static PolicyStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the policy store directory " + dir + ": " + e, e);
        }
        ChronicleMap<String, String> consumers = openMap(dir.resolve(CONSUMERS_FILE), () -> ChronicleMap
                .of(String.class, String.class).name("sluice-policy-consumers").entries(ENTRIES)
                .maxBloatFactor(MAX_BLOAT).averageKeySize(16).averageValueSize(200));
        try {
            ChronicleMap<String, LongValue> quota = openMap(dir.resolve(QUOTA_FILE), () -> ChronicleMap
                    .of(String.class, LongValue.class).name("sluice-policy-quota").entries(ENTRIES)
                    .maxBloatFactor(MAX_BLOAT).averageKeySize(16));
            return new PolicyStore(dir, consumers, quota);
        } catch (RuntimeException e) {
            consumers.close();
            throw e;
        }
    }

    private interface Builder<K, V> {
        net.openhft.chronicle.map.ChronicleMapBuilder<K, V> get();
    }

    private static <K, V> ChronicleMap<K, V> openMap(Path file, Builder<K, V> builder) {
        File f = file.toFile();
        if (f.exists() && (!f.isFile() || !f.canRead() || !f.canWrite())) {
            throw new IllegalStateException("cannot open the policy store file " + file
                    + ": it is not a readable and writable file");
        }
        try {
            // createPersistedTo opens an existing file after checking its header; it never rebuilds one
            return builder.get().createPersistedTo(f);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot open the policy store file " + file + " (corrupt or written by"
                    + " an incompatible version?): " + e, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Every stored consumer record by name. */
    Map<String, String> storedConsumers() {
        Map<String, String> all = new LinkedHashMap<>();
        consumers.forEach(all::put);
        return all;
    }

    /** Writes (or replaces) one consumer's record. */
    void putConsumer(String name, String record) {
        consumers.put(name, record);
    }

    /**
     * The quota word of {@code consumer}, created at 0 when absent. Off the event loops (takes a segment lock).
     *
     * @throws IllegalStateException naming the consumer and the file when the word cannot be counted atomically
     */
    QuotaCounter quotaCounter(String consumer) {
        LongValue word = Values.newNativeReference(LongValue.class);
        quota.acquireUsing(consumer, word);
        // acquireUsing points the reference at the entry through the map's view of the entry's segment; that view is
        // shared by every reference the map hands out on this thread, and a later access moves it to another
        // segment, where the reference would reach another consumer's bytes. So the word's address is taken now,
        // once. Entries of a fixed-size value never move and are never removed: the address stays valid until the
        // store is closed.
        if (!(word instanceof Byteable entry)) {
            throw new IllegalStateException("cannot count the quota of consumer '" + consumer + "' in "
                    + dir.resolve(QUOTA_FILE) + ": the store library's reference " + word.getClass().getName()
                    + " does not expose its bytes");
        }
        long address = entry.bytesStore().addressForWrite(entry.offset());
        try {
            return new QuotaCounter(address, this);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot count the quota of consumer '" + consumer + "' in "
                    + dir.resolve(QUOTA_FILE) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            quota.close();
        } finally {
            consumers.close();
        }
    }
}
