package dev.sluice.policy;

import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.policy.config.PolicyConfig;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loop's key cache answers exactly as the key index would, revocation included, only faster. */
class KeyCacheTest {

    /** Longer than the cache holds: such keys are hashed on every request. */
    static final String LONG_KEY = "sk_" + "long-key-from-the-config-file-".repeat(4);

    @TempDir
    Path store;
    final FakeClock clock = new FakeClock(Instant.parse("2026-11-28T12:00:00Z").toEpochMilli());
    PolicyConfig config;
    ConsumerRegistry registry;
    final KeyHasher hasher = new KeyHasher();

    @BeforeEach
    void open() {
        String policy = """
                store: %s
                plans:
                  gold: { rate: 1000/s, burst: 1000 }
                consumers:
                  - { name: configured, plan: gold, key_sha256: "%s" }
                apis:
                  - name: orders
                    match: { path_prefix: /orders/ }
                """.formatted(store, HexFormat.of().formatHex(ApiKeys.sha256(LONG_KEY)));
        config = PolicyHarness.readValid(policy);
        registry = ConsumerRegistry.load(config, PolicyStore.open(store), clock);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    KeyIndex.Entry find(String key) {
        String header = "Bearer " + key; // a key inside a longer field, as the Authorization field carries it
        return hasher.find(registry.index(), header, 7, header.length());
    }

    @Test
    void shouldRefuseARevokedKeyAtTheNextLookupAlthoughTheLoopHadCachedIt() {
        ConsumerRegistry.NewKey k = registry.create("acme", "gold");
        assertFalse(find(k.key()).revoked());
        assertFalse(find(k.key()).revoked());
        assertEquals(1, hasher.cacheHits(), "the second lookup must come from the cache for this test to mean anything");

        registry.revoke("acme", k.keyId());

        KeyIndex.Entry after = find(k.key());
        assertTrue(after.revoked(), "a revoked key must be refused on the very next request");
        assertTrue(find(k.key()).revoked());
    }

    @Test
    void shouldRefuseARevokedKeyThroughTheFilterAtTheNextRequestOnTheSameLoop() {
        ConsumerRegistry.NewKey k = registry.create("acme", "gold");
        HttpFilter filter = new PolicyFilter(new ApiRoute[] {new ApiRoute(config.apis().get(0))}, registry, clock,
                new LoopCounts(1));
        for (int i = 0; i < 3; i++) {
            assertNull(exchange(filter, k.key()).status, "admitted before the revocation");
        }
        registry.revoke("acme", k.keyId());
        assertEquals(HttpResponseStatus.UNAUTHORIZED, exchange(filter, k.key()).status);
    }

    @Test
    void shouldRefuseARevokedKeyCachedUnderTheOldSnapshotRightAfterTheChangeWithoutHashingIt() {
        ConsumerRegistry.NewKey k = registry.create("acme", "gold");
        assertFalse(find(k.key()).revoked());
        assertEquals(1, hasher.hashes());

        registry.revoke("acme", k.keyId());

        KeyIndex.Entry after = find(k.key());
        assertTrue(after.revoked(), "the cached key is checked in the new snapshot before it answers");
        assertSame(registry.get("acme"), after.consumer(), "the refusal is counted against its consumer");
        assertEquals(1, hasher.cacheRechecks());
        assertEquals(1, hasher.hashes(), "the check is by the cached entry's hash, not a new SHA-256");
        assertTrue(find(k.key()).revoked());
        assertEquals(1, hasher.cacheRechecks(), "checked once per snapshot");
    }

    @Test
    void shouldServeACachedKeyWithoutHashingItAgainAfterUnrelatedAdminChanges() {
        ConsumerRegistry.NewKey acme = registry.create("acme", "gold");
        ConsumerRegistry.NewKey other = registry.create("other", "gold");
        assertSame(registry.get("acme"), find(acme.key()).consumer());
        assertEquals(1, hasher.hashes());

        registry.create("third", "gold");
        assertSame(registry.get("acme"), find(acme.key()).consumer(), "after a consumer was created");
        registry.addKey("acme");
        assertSame(registry.get("acme"), find(acme.key()).consumer(), "after its own consumer got a second key");
        registry.revoke("other", other.keyId());
        KeyIndex.Entry last = find(acme.key());
        assertSame(registry.get("acme"), last.consumer(), "after another consumer's key was revoked");
        assertFalse(last.revoked());

        assertEquals(1, hasher.hashes(), "three snapshot changes, and the key was hashed only the first time");
        assertEquals(3, hasher.cacheHits());
        assertEquals(3, hasher.cacheRechecks(), "one probe in each new snapshot");
    }

    @Test
    void shouldForgetACachedKeyTheNewSnapshotNoLongerHas() {
        String key = numberedKey(1);
        KeyIndex.Entry entry = new KeyIndex.Entry(ApiKeys.sha256(key), null, "k1", false);
        KeyIndex with = new KeyIndex(List.of(entry));
        KeyCache cache = new KeyCache();
        assertNull(cache.find(with, padded(key), key.length()));
        cache.put(with, padded(key), key.length(), entry);
        assertSame(entry, cache.find(with, padded(key), key.length()));

        KeyIndex without = new KeyIndex(List.of());
        assertNull(cache.find(without, padded(key), key.length()), "a key the snapshot lacks is unknown at once");
        assertEquals(1, cache.rechecks());
        assertNull(cache.find(without, padded(key), key.length()));
        assertEquals(1, cache.rechecks(), "the slot was emptied, not kept to be checked again");
        assertNull(cache.find(with, padded(key), key.length()), "nor does it come back with a later snapshot");
    }

    @Test
    void shouldKeepCachedKeysWhenTheSnapshotOutgrowsTheSlots() {
        List<KeyIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            entries.add(new KeyIndex.Entry(ApiKeys.sha256(numberedKey(i)), null, "k" + i, false));
        }
        KeyIndex small = new KeyIndex(entries.subList(0, 100));
        KeyCache cache = new KeyCache();
        for (int i = 0; i < 100; i++) {
            String k = numberedKey(i);
            assertNull(cache.find(small, padded(k), k.length()));
            cache.put(small, padded(k), k.length(), entries.get(i));
        }
        assertEquals(KeyCache.MIN_SLOTS, cache.slots());

        KeyIndex large = new KeyIndex(entries);
        for (int i = 0; i < 100; i++) {
            String k = numberedKey(i);
            assertSame(entries.get(i), cache.find(large, padded(k), k.length()), "key " + i + " moved with the slots");
        }
        assertEquals(32_768, cache.slots());
        assertEquals(100, cache.hits());
        assertEquals(100, cache.rechecks());
    }

    @Test
    void shouldNotTakeAKeyForACachedOneItOnlyResembles() {
        ConsumerRegistry.NewKey k = registry.create("acme", "gold");
        assertSame(registry.get("acme"), find(k.key()).consumer());
        String key = k.key();
        char last = key.charAt(key.length() - 1);
        assertNull(find(key.substring(0, key.length() - 1) + (char) (last == 'A' ? 'B' : 'A')), "last byte differs");
        assertNull(find(key.substring(0, key.length() - 1)), "a prefix");
        assertNull(find(key + "A"), "a longer key");
        assertNull(find(key + "\0"), "the cache's zero padding is not part of a key");
        assertSame(registry.get("acme"), find(k.key()).consumer());
    }

    @Test
    void shouldFindEveryKeyWhenThereAreMoreThanTheCacheHolds() {
        List<ConsumerRegistry.NewKey> keys = new ArrayList<>();
        for (int i = 0; i < KeyCache.MIN_SLOTS + 500; i++) {
            keys.add(registry.create("c" + i, "gold"));
        }
        for (int round = 0; round < 2; round++) {
            for (ConsumerRegistry.NewKey k : keys) {
                assertEquals(k.consumer(), find(k.key()).consumer().name());
            }
        }
        assertTrue(hasher.cacheHits() > 0);
    }

    @Test
    void shouldFindKeysTooLongToCacheByTheirHashEveryTime() {
        assertTrue(LONG_KEY.getBytes(StandardCharsets.US_ASCII).length > KeyCache.MAX_KEY_BYTES);
        for (int i = 0; i < 3; i++) {
            assertEquals("configured", find(LONG_KEY).consumer().name());
        }
        assertEquals(0, hasher.cacheHits());
    }

    @Test
    void shouldKeepFindingCachedKeysAfterAnotherConsumerIsCreated() {
        ConsumerRegistry.NewKey first = registry.create("first", "gold");
        assertEquals("first", find(first.key()).consumer().name());
        ConsumerRegistry.NewKey second = registry.create("second", "gold");
        assertEquals("first", find(first.key()).consumer().name());
        assertEquals("second", find(second.key()).consumer().name());
        assertEquals("first", find(first.key()).consumer().name());
    }

    private FakeContext exchange(HttpFilter filter, String key) {
        FakeContext ctx = new FakeContext(clock);
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/orders/1");
        req.headers().set("x-api-key", key);
        if (filter.onRequestHead(ctx, req) == FilterResult.CONTINUE) {
            filter.onResponseHead(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
            filter.onComplete(ctx);
        }
        return ctx;
    }

    @Test
    void shouldAnswerNearlyEveryKeyFromTheCacheWhenOneLoopSeesTenThousandConsumers() {
        int n = 10_000;
        List<KeyIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new KeyIndex.Entry(ApiKeys.sha256(numberedKey(i)), null, "k" + i, false));
        }
        KeyIndex index = new KeyIndex(entries);
        KeyHasher loop = new KeyHasher();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                String key = numberedKey(i);
                assertSame(entries.get(i), loop.find(index, key, 0, key.length()));
            }
        }
        // the first round hashes every key; in the second only keys of a set shared by more than WAYS keys miss
        assertTrue(loop.cacheHits() >= n * 95L / 100, loop.cacheHits() + " of " + n + " lookups were cached");
    }

    @Test
    void shouldSizeItsSlotsToTheSnapshotWithinItsBounds() {
        assertEquals(KeyCache.MIN_SLOTS, KeyCache.slotsFor(0));
        assertEquals(KeyCache.MIN_SLOTS, KeyCache.slotsFor(KeyCache.MIN_SLOTS / 2));
        assertEquals(32_768, KeyCache.slotsFor(10_000));
        assertEquals(KeyCache.MAX_SLOTS, KeyCache.slotsFor(1_000_000));

        KeyCache cache = new KeyCache();
        List<KeyIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            entries.add(new KeyIndex.Entry(ApiKeys.sha256(numberedKey(i)), null, "k" + i, false));
        }
        byte[] key = padded(numberedKey(0));
        assertNull(cache.find(new KeyIndex(entries), key, numberedKey(0).length()), "a new snapshot starts empty");
        assertEquals(32_768, cache.slots());
        assertNull(cache.find(KeyIndex.EMPTY, key, numberedKey(0).length()));
        assertEquals(KeyCache.MIN_SLOTS, cache.slots(), "a smaller snapshot gives the memory back");
    }

    @Test
    void shouldReplaceOnlyOneKeyOfAFullSetWhenAnotherKeyOfThatSetArrives() {
        KeyCache cache = new KeyCache();
        KeyIndex index = new KeyIndex(List.of());
        assertNull(cache.find(index, padded("sk_probe"), 8)); // sizes the cache for this snapshot
        List<String> sameSet = new ArrayList<>();
        int target = cache.set(padded(numberedKey(0)), numberedKey(0).length());
        for (int i = 0; sameSet.size() < KeyCache.WAYS + 1; i++) {
            String k = numberedKey(i);
            if (cache.set(padded(k), k.length()) == target) {
                sameSet.add(k);
            }
        }
        List<KeyIndex.Entry> entries = new ArrayList<>();
        for (String k : sameSet) {
            KeyIndex.Entry e = new KeyIndex.Entry(ApiKeys.sha256(k), null, k, false);
            entries.add(e);
            cache.put(index, padded(k), k.length(), e);
        }
        int found = 0;
        for (int i = 0; i < sameSet.size(); i++) {
            String k = sameSet.get(i);
            KeyIndex.Entry e = cache.find(index, padded(k), k.length());
            if (e != null) {
                assertSame(entries.get(i), e, "a slot answers only for its own key");
                found++;
            }
        }
        assertEquals(KeyCache.WAYS, found, "the newest key replaced exactly one of the set");
        String last = sameSet.get(KeyCache.WAYS);
        assertSame(entries.get(KeyCache.WAYS), cache.find(index, padded(last), last.length()));
    }

    @Test
    void shouldTellApartKeysThatAgreeOnEveryWordOneOfThemOccupies() {
        KeyCache cache = new KeyCache();
        KeyIndex index = new KeyIndex(List.of());
        String[] keys = {"sk_word1", "sk_word1sk_word2", "sk_word1sk_word2x", "sk_word1sk_word2sk_word3sk_word4"};
        List<KeyIndex.Entry> entries = new ArrayList<>();
        for (String k : keys) { // 8, 16, 17 and 32 bytes: each a prefix of the next, ending on or past a word
            KeyIndex.Entry e = new KeyIndex.Entry(ApiKeys.sha256(k), null, k, false);
            entries.add(e);
            cache.put(index, padded(k), k.length(), e);
        }
        for (int i = 0; i < keys.length; i++) {
            assertSame(entries.get(i), cache.find(index, padded(keys[i]), keys[i].length()), keys[i]);
        }
        assertNull(cache.find(index, padded("sk_word1sk_word"), 15), "a prefix ending inside a cached key's word");
        assertNull(cache.find(index, padded("sk_word1sk_word2sk_word3"), 24), "a prefix ending on a word boundary");
    }

    @Test
    void shouldCompareTheWholeKeyWhenADifferentKeyHasTheSameHash() {
        long seed = 0x5EED_0F_CAC4EL;
        KeyCache cache = new KeyCache(seed);
        KeyIndex index = new KeyIndex(List.of());
        byte[] cached = twoWordKey(0x3131_6472_6f77_5f6bL, 0x3232_6472_6f77_5f6bL);
        byte[] forged = sameHashAs(cached, seed, 0x3333_6472_6f77_5f6bL);
        assertFalse(java.util.Arrays.equals(cached, forged));
        assertEquals(cache.set(cached, 16), cache.set(forged, 16), "same hash, so same set");
        KeyIndex.Entry cachedEntry = new KeyIndex.Entry(new byte[32], null, "cached", false);
        cache.put(index, cached, 16, cachedEntry);

        assertNull(cache.find(index, forged, 16), "a key of the same hash is not the cached key");
        assertSame(cachedEntry, cache.find(index, cached, 16));

        KeyIndex.Entry forgedEntry = new KeyIndex.Entry(new byte[32], null, "forged", false);
        cache.put(index, forged, 16, forgedEntry);
        assertSame(forgedEntry, cache.find(index, forged, 16), "it took the slot of the key of its hash");
        assertNull(cache.find(index, cached, 16), "one hash, one slot: the older key is gone, not shadowing it");
    }

    @Test
    void shouldSpreadKeysOverSetsByItsOwnSeed() {
        KeyCache one = new KeyCache(1);
        KeyCache other = new KeyCache(2);
        int moved = 0;
        for (int i = 0; i < 64; i++) {
            byte[] k = padded(numberedKey(i));
            moved += one.set(k, numberedKey(i).length()) != other.set(k, numberedKey(i).length()) ? 1 : 0;
        }
        assertTrue(moved > 32, "another seed, other sets: a client cannot pick keys of one set (" + moved + ")");
    }

    /** A 16-byte key of two little-endian words, zero-padded as the cache wants its keys. */
    private static byte[] twoWordKey(long w0, long w1) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(KeyCache.MAX_KEY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(w0).putLong(w1).array();
    }

    /**
     * A 16-byte key other than {@code key} (also 16 bytes) with the same hash under {@code seed}, first word
     * {@code w0}: the hash is {@code ((seed ^ 16 ^ w0) * MIX ^ w1) * MIX}, so the second word makes up for the first.
     */
    private static byte[] sameHashAs(byte[] key, long seed, long w0) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
        long mix = 0x9E3779B97F4A7C15L;
        long a = ((seed ^ 16) ^ b.getLong(0)) * mix;
        long a2 = ((seed ^ 16) ^ w0) * mix;
        return twoWordKey(w0, a ^ b.getLong(8) ^ a2);
    }

    /** A key of the shape the admin API makes (46 characters), numbered so tests are reproducible. */
    private static String numberedKey(int i) {
        return "sk_" + String.format("%043d", i);
    }

    private static byte[] padded(String key) {
        return java.util.Arrays.copyOf(key.getBytes(StandardCharsets.US_ASCII), KeyCache.MAX_KEY_BYTES);
    }
}
