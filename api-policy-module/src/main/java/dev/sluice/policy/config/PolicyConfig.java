package dev.sluice.policy.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated {@code policy:} section. Immutable.
 *
 * @param store     the directory holding the persistent key and quota files
 * @param plans     plans by name, in config order
 * @param consumers consumers declared in the config
 * @param apis      apis in config order (the first whose match fits a request handles it)
 */
public record PolicyConfig(Path store, Map<String, Plan> plans, List<ConsumerConfig> consumers, List<ApiConfig> apis) {

    public PolicyConfig {
        plans = Map.copyOf(plans);
        consumers = List.copyOf(consumers);
        apis = List.copyOf(apis);
    }

    /** The same policy kept in another directory. */
    public PolicyConfig withStore(Path dir) {
        return new PolicyConfig(dir, plans, consumers, apis);
    }
}
