package dev.sluice.policy;

import dev.sluice.policy.config.ConsumerConfig;
import dev.sluice.policy.config.Plan;
import dev.sluice.policy.config.PolicyConfig;
import dev.sluice.policy.config.PolicyConfigReader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every consumer, from the config file and from the store, and the {@link KeyIndex} the event loops read.
 *
 * <p>Threading: changes run on the admin (or startup) thread and are serialised by this object's monitor; the
 * event loops never take it: they read {@link #index()}, a volatile field holding an immutable snapshot that
 * each change replaces after the store was written. A revoked key is therefore refused by every loop from its
 * next request on.
 */
final class ConsumerRegistry {

    /** What a caller gets once when a key is made: the only time the key is visible. */
    record NewKey(String consumer, String keyId, String key) {
    }

    private final PolicyConfig config;
    private final PolicyStore store;
    private final PolicyClock clock;
    private final Map<String, Consumer> consumers = new LinkedHashMap<>();
    private final List<KeyIndex.Entry> revoked = new ArrayList<>();
    /** Each plan's {@link Consumer.Limits}, made once and shared by its consumers. */
    private final Map<Plan, Consumer.Limits> limits = new IdentityHashMap<>();
    private volatile KeyIndex index = KeyIndex.EMPTY;
    private boolean closed;

    private ConsumerRegistry(PolicyConfig config, PolicyStore store, PolicyClock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Loads the config's consumers and the stored ones.
     *
     * @throws IllegalStateException (naming the store) for an unreadable record, a stored consumer whose plan the
     *                               config no longer has, or a name both in the config and in the store
     */
    static ConsumerRegistry load(PolicyConfig config, PolicyStore store, PolicyClock clock) {
        ConsumerRegistry r = new ConsumerRegistry(config, store, clock);
        for (ConsumerConfig c : config.consumers()) {
            byte[] hash = HexFormat.of().parseHex(c.keySha256());
            r.add(c.name(), true, config.plans().get(c.plan()), List.of(new ConsumerRecord.StoredKey("config", hash)));
        }
        for (Map.Entry<String, String> e : store.storedConsumers().entrySet()) {
            String where = "consumer '" + e.getKey() + "' in the policy store "
                    + store.dir().resolve(PolicyStore.CONSUMERS_FILE);
            ConsumerRecord record;
            try {
                record = ConsumerRecord.decode(e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalStateException(where + " is unreadable: " + bad.getMessage(), bad);
            }
            Plan plan = config.plans().get(record.plan());
            if (plan == null) {
                throw new IllegalStateException(where + " is on plan '" + record.plan() + "', which the config no"
                        + " longer defines: add the plan back");
            }
            if (r.consumers.containsKey(e.getKey())) {
                throw new IllegalStateException(where + " is also declared in the config file: remove one of them");
            }
            r.add(e.getKey(), false, plan, record.keys());
        }
        r.publish();
        return r;
    }

    private Consumer add(String name, boolean fromConfig, Plan plan, List<ConsumerRecord.StoredKey> keys) {
        Consumer c = new Consumer(name, consumers.size(), fromConfig, limitsOf(plan), keys,
                clock.nanoTime(), store.quotaCounter(name));
        consumers.put(name, c);
        return c;
    }

    private Consumer.Limits limitsOf(Plan plan) {
        return limits.computeIfAbsent(plan, Consumer.Limits::of);
    }

    /** The current key snapshot. Any thread; the event loops call it per request. */
    KeyIndex index() {
        return index;
    }

    synchronized Consumer get(String name) {
        open();
        return consumers.get(name);
    }

    /** Requests counted in the quota period containing {@code nowMillis} (0 when the plan has no quota). */
    synchronized long quotaUsed(Consumer c, long nowMillis) {
        open();
        Plan plan = c.plan();
        return plan.quota() == null ? 0 : c.quota().used(plan.quota().period(), nowMillis);
    }

    /**
     * Closes the store. Under this object's monitor, so no admin request is reading a quota word while the
     * mapping goes away; later admin requests answer 503.
     */
    synchronized void close() {
        if (!closed) {
            closed = true;
            store.close();
        }
    }

    private void open() {
        if (closed) {
            throw new AdminProblem(503, "unavailable", "the policy was just reloaded: retry the request");
        }
    }

    synchronized Collection<Consumer> all() {
        return List.copyOf(consumers.values());
    }

    /** Creates a consumer with one key. */
    synchronized NewKey create(String name, String planName) {
        open();
        if (name == null || !PolicyConfigReader.NAME.matcher(name).matches()) {
            throw new AdminProblem(400, "bad_request", "bad consumer name: use 1 to 64 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit");
        }
        Plan plan = plan(planName);
        if (consumers.containsKey(name)) {
            throw new AdminProblem(409, "conflict", "consumer '" + name + "' already exists");
        }
        String key = ApiKeys.newKey();
        ConsumerRecord.StoredKey stored = new ConsumerRecord.StoredKey(ApiKeys.newKeyId(), ApiKeys.sha256(key));
        store.putConsumer(name, new ConsumerRecord(plan.name(), List.of(stored)).encode());
        add(name, false, plan, List.of(stored));
        publish();
        return new NewKey(name, stored.id(), key);
    }

    /** Adds a key to a consumer; its other keys keep working (rotation). */
    synchronized NewKey addKey(String name) {
        Consumer c = changeable(name);
        String key = ApiKeys.newKey();
        List<ConsumerRecord.StoredKey> keys = new ArrayList<>(c.keys());
        keys.add(new ConsumerRecord.StoredKey(ApiKeys.newKeyId(), ApiKeys.sha256(key)));
        save(c, c.plan(), keys);
        publish();
        return new NewKey(name, keys.get(keys.size() - 1).id(), key);
    }

    /** Revokes one key: from the next request on, on every loop, it answers 401. */
    synchronized void revoke(String name, String keyId) {
        Consumer c = changeable(name);
        List<ConsumerRecord.StoredKey> keys = new ArrayList<>(c.keys());
        ConsumerRecord.StoredKey gone = keys.stream().filter(k -> k.id().equals(keyId)).findFirst()
                .orElseThrow(() -> new AdminProblem(404, "not_found", "consumer '" + name + "' has no key '"
                        + keyId + "'"));
        keys.remove(gone);
        save(c, c.plan(), keys);
        revoked.add(new KeyIndex.Entry(gone.sha256(), c, gone.id(), true));
        publish();
    }

    /** Moves a consumer to another plan; the next request is measured against it. */
    synchronized void setPlan(String name, String planName) {
        Consumer c = changeable(name);
        Plan plan = plan(planName);
        save(c, plan, c.keys());
        c.limits(limitsOf(plan));
    }

    private void save(Consumer c, Plan plan, List<ConsumerRecord.StoredKey> keys) {
        store.putConsumer(c.name(), new ConsumerRecord(plan.name(), keys).encode()); // the store first: a crash
        c.keys(keys);                                                                 // loses no acknowledged change
    }

    private Plan plan(String planName) {
        Plan plan = planName == null ? null : config.plans().get(planName);
        if (plan == null) {
            throw new AdminProblem(400, "bad_request", "unknown plan '" + planName + "': expected one of "
                    + String.join(", ", config.plans().keySet().stream().sorted().toList()));
        }
        return plan;
    }

    private Consumer changeable(String name) {
        open();
        Consumer c = consumers.get(name);
        if (c == null) {
            throw new AdminProblem(404, "not_found", "no consumer '" + name + "'");
        }
        if (c.fromConfig()) {
            throw new AdminProblem(409, "conflict", "consumer '" + name + "' is declared in the config file:"
                    + " change it there");
        }
        return c;
    }

    private void publish() {
        List<KeyIndex.Entry> entries = new ArrayList<>(revoked);
        for (Consumer c : consumers.values()) {
            for (ConsumerRecord.StoredKey k : c.keys()) {
                entries.add(new KeyIndex.Entry(k.sha256(), c, k.id(), false));
            }
        }
        index = new KeyIndex(entries); // one volatile write publishes the whole immutable snapshot
    }
}
