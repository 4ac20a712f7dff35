package dev.sluice.policy;

import dev.sluice.policy.config.Plan;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A consumer's run-time state, shared by every event loop: its plan (replaced by the admin thread, read by the
 * loops), its rate bucket and quota counter (lock-free, see {@link RateBucket} and {@link QuotaCounter}), its key
 * ids (admin thread) and its counters. Counters are {@link LongAdder}s: striped per thread, so loops serving one
 * consumer do not contend on one cache line.
 */
final class Consumer {

    private final String name;
    private final boolean fromConfig;
    private final RateBucket bucket;
    private final QuotaCounter quota;
    private volatile Plan plan;
    private volatile List<ConsumerRecord.StoredKey> keys;

    final LongAdder allowed = new LongAdder();
    final LongAdder unauthorized = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder quotaExceeded = new LongAdder();

    Consumer(String name, boolean fromConfig, Plan plan, List<ConsumerRecord.StoredKey> keys, RateBucket bucket,
             QuotaCounter quota) {
        this.name = name;
        this.fromConfig = fromConfig;
        this.plan = plan;
        this.keys = List.copyOf(keys);
        this.bucket = bucket;
        this.quota = quota;
    }

    String name() {
        return name;
    }

    /** Whether the consumer is declared in the config file (then the admin API cannot change it). */
    boolean fromConfig() {
        return fromConfig;
    }

    Plan plan() {
        return plan;
    }

    void plan(Plan next) {
        this.plan = next;
    }

    List<ConsumerRecord.StoredKey> keys() {
        return keys;
    }

    void keys(List<ConsumerRecord.StoredKey> next) {
        this.keys = List.copyOf(next);
    }

    RateBucket bucket() {
        return bucket;
    }

    QuotaCounter quota() {
        return quota;
    }
}
