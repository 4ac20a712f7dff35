package dev.sluice.policy.config;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.SluiceConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the {@code policy:} section (CONTRACT.md section 6). Contract: either a {@link PolicyConfig} and
 * no errors, or every problem found, each at its {@code FILE:LINE:COLUMN}. Stateless apart from the error list;
 * runs off the event loops and has no side effects (no files are touched).
 */
public final class PolicyConfigReader {

    static final List<String> TOP_KEYS = List.of("store", "plans", "consumers", "apis");
    static final List<String> PLAN_KEYS = List.of("rate", "burst", "quota");
    static final List<String> CONSUMER_KEYS = List.of("name", "plan", "key_sha256");
    /** Consumer names: they go upstream in a header and into metrics labels, so they stay plain. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** About 100 years: the longest a full token bucket may take to drain, in nanoseconds. */
    private static final long MAX_BUCKET_NANOS = 100L * 365 * 86_400 * 1_000_000_000L;

    private final List<ConfigError> errors = new ArrayList<>();

    private PolicyConfigReader() {
    }

    /** The outcome of reading: {@code config} is {@code null} exactly when {@code errors} is not empty. */
    public record Result(PolicyConfig config, List<ConfigError> errors) {
    }

    /** Reads {@code section} against the core config (whose clusters versions may name). */
    public static Result read(ConfigNode section, SluiceConfig core) {
        PolicyConfigReader reader = new PolicyConfigReader();
        PolicyConfig config = reader.readSection(section, core);
        return reader.errors.isEmpty() ? new Result(config, List.of()) : new Result(null, List.copyOf(reader.errors));
    }

    private PolicyConfig readSection(ConfigNode section, SluiceConfig core) {
        FieldReader top = FieldReader.of(section, "'policy'", "in policy", errors, TOP_KEYS);
        if (top == null) {
            return null;
        }
        String storeText = top.text("store");
        Path store = storeText != null ? Path.of(storeText) : core.runtime().stateDir().resolve("policy");
        Map<String, Plan> plans = readPlans(top);
        List<ConsumerConfig> consumers = readConsumers(top, plans);
        List<ApiConfig> apis = new ApiConfigReader(top, core).read();
        return errors.isEmpty() ? new PolicyConfig(store, plans, consumers, apis) : null;
    }

    private Map<String, Plan> readPlans(FieldReader top) {
        Map<String, Plan> plans = new LinkedHashMap<>();
        FieldReader section = top.mapping("plans", "in policy.plans", List.copyOf(planNames(top)));
        if (section == null) {
            return plans;
        }
        for (String name : section.node().fields().keySet()) {
            ConfigNode at = section.node().keyNode(name);
            if (!NAME.matcher(name).matches()) {
                section.error(at, "bad plan name '" + name + "': use letters, digits, '.', '_' or '-' (at most 64)");
            }
            FieldReader plan = section.mapping(name, "in plan '" + name + "'", PLAN_KEYS);
            if (plan != null) {
                plans.put(name, readPlan(name, plan));
            }
        }
        return plans;
    }

    private static Set<String> planNames(FieldReader top) {
        ConfigNode plans = top.value("plans");
        return plans == null || plans.kind() != ConfigNode.Kind.MAP ? Set.of() : plans.fields().keySet();
    }

    private Plan readPlan(String name, FieldReader plan) {
        Rate rate = null;
        String rateText = plan.text("rate");
        if (rateText != null) {
            try {
                rate = Rate.parse(rateText);
            } catch (IllegalArgumentException e) {
                plan.error(plan.value("rate"), e.getMessage());
            }
        }
        long burst = plan.number("burst", rate == null ? 1 : rate.permits(), 1, 1_000_000_000L);
        if (rate != null && burst > MAX_BUCKET_NANOS / rate.intervalNanos()) {
            // the bucket keeps time in nanoseconds: burst x interval must stay far from overflow
            plan.error(plan.value("burst") != null ? plan.value("burst") : plan.value("rate"), "burst " + burst
                    + " in plan '" + name + "' holds more than 100 years of requests at " + rateText);
        }
        if (plan.value("burst") != null && plan.value("rate") == null) {
            plan.error(plan.value("burst"), "burst in plan '" + name + "' needs a rate");
        }
        Quota quota = null;
        String quotaText = plan.text("quota");
        if (quotaText != null) {
            try {
                quota = Quota.parse(quotaText);
            } catch (IllegalArgumentException e) {
                plan.error(plan.value("quota"), e.getMessage());
            }
        }
        return new Plan(name, rate, burst, quota);
    }

    private List<ConsumerConfig> readConsumers(FieldReader top, Map<String, Plan> plans) {
        List<ConsumerConfig> consumers = new ArrayList<>();
        List<ConfigNode> items = top.list("consumers");
        if (items == null) {
            return consumers;
        }
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (ConfigNode item : items) {
            FieldReader c = FieldReader.of(item, "a consumer", "in a consumer", errors, CONSUMER_KEYS);
            if (c == null) {
                continue;
            }
            String name = c.requiredText("name");
            String plan = c.requiredText("plan");
            String hash = c.requiredText("key_sha256");
            if (name != null && !NAME.matcher(name).matches()) {
                c.error(c.value("name"), "bad consumer name '" + name
                        + "': use letters, digits, '.', '_' or '-' (at most 64)");
            } else if (name != null && !names.add(name)) {
                c.error(c.value("name"), "duplicate consumer name '" + name + "'");
            }
            if (plan != null && !plans.containsKey(plan) && planNames(top).stream().noneMatch(plan::equals)) {
                c.error(c.value("plan"), "unknown plan '" + plan + "'" + expected(plans.keySet()));
            }
            if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
                c.error(c.value("key_sha256"), "bad key_sha256: expected the 64 hex digits of the key's SHA-256");
            } else if (hash != null && !hashes.add(hash.toLowerCase())) {
                c.error(c.value("key_sha256"), "duplicate key_sha256: two consumers cannot share a key");
            }
            if (name != null && plan != null && hash != null) {
                consumers.add(new ConsumerConfig(name, plan, hash.toLowerCase()));
            }
        }
        return consumers;
    }

    static String expected(java.util.Collection<String> names) {
        return names.isEmpty() ? " (no plans are defined)" : ": expected one of " + String.join(", ", names);
    }
}
