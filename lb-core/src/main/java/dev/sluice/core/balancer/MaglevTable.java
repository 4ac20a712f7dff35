package dev.sluice.core.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016, section 3.4): {@code tableSize} slots, each naming one
 * backend, filled so that every backend owns a share of slots proportional to its weight and a change of
 * backends moves few slots. Immutable once built; safe to share between threads and event loops.
 *
 * <p>Build, exactly: members are sorted by address text ({@link String#compareTo}, so the input order does not
 * matter). For each, {@code offset = h(address, OFFSET_SEED) mod M} and
 * {@code skip = h(address, SKIP_SEED) mod (M - 1) + 1}, with {@code h} the fixed {@link StableHash} and the
 * remainder taken of the unsigned 64-bit hash; its preference list is {@code (offset + j * skip) mod M},
 * a permutation of all slots because M is prime. Rounds {@code iteration = 1, 2, ...} visit the members in
 * order; a member takes a turn when {@code iteration * weight >= target}, then {@code target += maxWeight}
 * (target starts at 0, so every member places at least one slot and one with the largest weight takes a turn
 * every round); a turn claims the member's next preferred empty slot. Building stops when all slots are filled.
 * Cost: O(M log M) on average; about a millisecond at N = 1000, M = 65537. Run it off the event loops.
 *
 * <p>The same members and table size give the same table in every JVM and on every machine; the
 * {@link #fingerprint()} lets operators check that across a fleet.
 */
public final class MaglevTable {

    /** Largest accepted table size: 20 MB of slots. */
    public static final int MAX_TABLE_SIZE = 5_000_011;

    /** Sample of key hashes {@link #movedFraction} uses when the two tables differ in size. */
    private static final int SIZE_CHANGE_SAMPLES = 1 << 20;

    /**
     * One member of a table: a backend's identity text and weight.
     *
     * @param address the backend's address text ({@code Backend.address().toString()})
     * @param weight  at least 1
     */
    public record Member(String address, int weight) {
        public Member {
            if (address == null || address.isEmpty()) {
                throw new IllegalArgumentException("maglev member address is empty");
            }
            if (weight < 1) {
                throw new IllegalArgumentException("maglev member " + address + " has weight " + weight
                        + "; weights must be at least 1");
            }
        }
    }

    private final int tableSize;
    /** {@link StableHash#reciprocal} of the table size, for division-free slot lookups. */
    private final long reciprocal;
    private final Member[] members;
    /** Slot to member index (in the order given to build); -1 only in a table without members. */
    final int[] entries;
    private final int[] slotCounts;
    private final String fingerprint;

    private MaglevTable(int tableSize, Member[] members, int[] entries) {
        this.tableSize = tableSize;
        this.reciprocal = StableHash.reciprocal(tableSize);
        this.members = members;
        this.entries = entries;
        this.slotCounts = new int[members.length];
        for (int e : entries) {
            if (e >= 0) {
                slotCounts[e]++;
            }
        }
        this.fingerprint = computeFingerprint();
    }

    /**
     * Builds the table for these backends (all of them, ready or not: readiness is applied at pick time so a
     * flip moves no keys of other backends). {@link #backendAt} answers indexes into {@code backends}.
     *
     * @throws IllegalArgumentException when the table size is not a prime in 2..{@value #MAX_TABLE_SIZE}, or two
     *                                  backends share an address
     */
    public static MaglevTable build(List<Backend> backends, int tableSize) {
        List<Member> members = new ArrayList<>(backends.size());
        for (Backend b : backends) {
            members.add(new Member(b.address().toString(), b.weight()));
        }
        return buildFromMembers(members, tableSize);
    }

    /**
     * Builds the table for these members; {@link #backendAt} answers indexes into {@code members}. For callers
     * that have addresses and weights but no {@link Backend}s, such as a dry run of a config change.
     *
     * @throws IllegalArgumentException as {@link #build}
     */
    public static MaglevTable buildFromMembers(List<Member> members, int tableSize) {
        checkTableSize(tableSize);
        Member[] given = members.toArray(new Member[0]);
        Set<String> seen = new HashSet<>();
        for (Member m : given) {
            if (!seen.add(m.address())) {
                throw new IllegalArgumentException("maglev members list backend " + m.address() + " twice");
            }
        }
        Integer[] order = new Integer[given.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> given[a].address().compareTo(given[b].address()));
        Member[] sorted = new Member[given.length];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = given[order[i]];
        }
        int[] entries = populate(sorted, tableSize);
        for (int slot = 0; slot < entries.length; slot++) {
            if (entries[slot] >= 0) {
                entries[slot] = order[entries[slot]]; // back from sorted position to the caller's index
            }
        }
        return new MaglevTable(tableSize, given, entries);
    }

    /** The paper's POPULATE with Envoy-style weighted turns; returns slot to sorted-member index. */
    private static int[] populate(Member[] sorted, int m) {
        int n = sorted.length;
        int[] entries = new int[m];
        Arrays.fill(entries, -1);
        if (n == 0) {
            return entries;
        }
        int[] next = new int[n]; // position in the member's preference list, kept as a slot: no multiply per step
        int[] skip = new int[n];
        long[] target = new long[n];
        long maxWeight = 0;
        for (int i = 0; i < n; i++) {
            String address = sorted[i].address();
            next[i] = StableHash.mod(StableHash.hash(address, StableHash.OFFSET_SEED), m);
            skip[i] = m == 2 ? 1 : StableHash.mod(StableHash.hash(address, StableHash.SKIP_SEED), m - 1) + 1;
            maxWeight = Math.max(maxWeight, sorted[i].weight());
        }
        int[] weight = new int[n];
        for (int i = 0; i < n; i++) {
            weight[i] = sorted[i].weight();
        }
        // Why a bitset: the probe loop is a chain of dependent random reads; 8 KB of bits (M = 65537) stay in L1
        // where the 256 KB int table would not.
        long[] taken = new long[(m + 63) >>> 6];
        int filled = 0;
        for (long iteration = 1; filled < m; iteration++) {
            for (int i = 0; i < n && filled < m; i++) {
                if (iteration * weight[i] < target[i]) {
                    continue;
                }
                target[i] += maxWeight;
                int c = next[i];
                while ((taken[c >>> 6] & (1L << c)) != 0) {
                    c += skip[i];
                    if (c >= m) {
                        c -= m;
                    }
                }
                taken[c >>> 6] |= 1L << c;
                entries[c] = i;
                c += skip[i];
                next[i] = c >= m ? c - m : c;
                filled++;
            }
        }
        return entries;
    }

    private static void checkTableSize(int tableSize) {
        if (tableSize < 2 || tableSize > MAX_TABLE_SIZE || !isPrime(tableSize)) {
            throw new IllegalArgumentException("maglev table size " + tableSize + " must be a prime between 2 and "
                    + MAX_TABLE_SIZE + " (65537 is the default; use a prime above 100 x backends)");
        }
    }

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    public int tableSize() {
        return tableSize;
    }

    /** The number of members the table was built from (including any that own no slot). */
    public int backendCount() {
        return members.length;
    }

    /** The index (in the list given to build) of the backend owning {@code slot}, or -1 in an empty table. */
    public int backendAt(int slot) {
        return entries[slot];
    }

    /** The address text of the backend owning {@code slot}, or {@code null} in an empty table. */
    public String addressAt(int slot) {
        int e = entries[slot];
        return e < 0 ? null : members[e].address();
    }

    /** The address text of member {@code index} (in the list given to build). */
    public String address(int index) {
        return members[index].address();
    }

    /** How many slots member {@code index} owns. */
    public int slotCount(int index) {
        return slotCounts[index];
    }

    /** Whether this table was built from exactly these backends (same order, addresses, weights) and size. */
    boolean hasMembers(List<Backend> backends, int size) {
        if (size != tableSize || backends.size() != members.length) {
            return false;
        }
        for (int i = 0; i < members.length; i++) {
            Backend b = backends.get(i);
            if (b.weight() != members[i].weight() || !members[i].address().equals(b.address().toString())) {
                return false;
            }
        }
        return true;
    }

    /** The slot a key with this 64-bit hash maps to: the unsigned hash mod the table size. */
    int slotFor(long keyHash) {
        return StableHash.mod(keyHash, tableSize, reciprocal);
    }

    /**
     * 16 hex digits identifying the table's contents: equal tables (same size, same address in every slot) have
     * equal fingerprints whatever order their members were given in. Definition: fold the table size and then,
     * slot by slot, {@code h(address, FINGERPRINT_SEED)} (0 for an empty slot) with the FNV-1a 64 step over
     * 64-bit values, finalise with fmix64, print as 16 lower-case hex digits.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private String computeFingerprint() {
        long[] addressHash = new long[members.length];
        for (int i = 0; i < members.length; i++) {
            addressHash[i] = StableHash.hash(members[i].address(), StableHash.FINGERPRINT_SEED);
        }
        long state = (StableHash.FNV_OFFSET_BASIS ^ StableHash.FINGERPRINT_SEED ^ tableSize) * StableHash.FNV_PRIME;
        for (int e : entries) {
            state = (state ^ (e < 0 ? 0L : addressHash[e])) * StableHash.FNV_PRIME;
        }
        String hex = Long.toHexString(StableHash.fmix64(state));
        return "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * The share of keys whose backend address differs between two tables: 0.0 when nothing moves, 1.0 when
     * everything does. Exact (slot by slot) when both tables have the same size; when the sizes differ, the
     * share of a fixed sample of 2^20 key hashes (the same sample every time, so the answer is reproducible).
     */
    public static double movedFraction(MaglevTable before, MaglevTable after) {
        Map<String, Integer> afterIndex = new HashMap<>();
        for (int i = 0; i < after.members.length; i++) {
            afterIndex.put(after.members[i].address(), i);
        }
        int[] translate = new int[before.members.length]; // before's member index -> after's, or -2 if gone
        for (int i = 0; i < translate.length; i++) {
            translate[i] = afterIndex.getOrDefault(before.members[i].address(), -2);
        }
        if (before.tableSize == after.tableSize) {
            int moved = 0;
            for (int slot = 0; slot < before.tableSize; slot++) {
                if (translated(translate, before.entries[slot]) != after.entries[slot]) {
                    moved++;
                }
            }
            return moved / (double) before.tableSize;
        }
        int moved = 0;
        for (int k = 0; k < SIZE_CHANGE_SAMPLES; k++) {
            long keyHash = StableHash.hashInt(k, StableHash.KEY_SEED);
            int was = translated(translate, before.entries[before.slotFor(keyHash)]);
            if (was != after.entries[after.slotFor(keyHash)]) {
                moved++;
            }
        }
        return moved / (double) SIZE_CHANGE_SAMPLES;
    }

    private static int translated(int[] translate, int beforeEntry) {
        return beforeEntry < 0 ? -1 : translate[beforeEntry];
    }
}
