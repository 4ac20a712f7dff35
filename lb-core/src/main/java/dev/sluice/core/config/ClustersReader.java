package dev.sluice.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code clusters:} section: names (required, unique), the balancer and its options, backends
 * (address required and unique within the cluster), timeouts, limits, and the optional health check, outlier
 * detection and retries (see {@link ClusterPoliciesReader}). Defaults follow {@link ClusterConfig#simple}.
 * Confined to the thread reading the config; problems go to the shared {@link ConfigProblems}.
 */
final class ClustersReader {

    static final List<String> CLUSTER_KEYS = List.of("name", "balancer", "hash_key", "hash_fallback",
            "maglev_table_size", "ewma_decay", "backends", "timeouts", "max_request_body", "health_check",
            "outlier_detection", "retries", "limits");
    static final List<String> BACKEND_KEYS = List.of("address", "weight", "state");
    static final List<String> TIMEOUT_KEYS = List.of("connect", "response", "idle");
    static final List<String> LIMIT_KEYS = List.of("max_connections_per_backend", "max_pending");
    static final int MAX_WEIGHT = 10_000;

    private static final String MAGLEV = "maglev";

    private final ConfigProblems problems;
    private final List<String> balancers;
    private final List<String> fallbackPolicies;
    private final Map<String, ConfigNode> names = new HashMap<>();

    /** @param balancerNames the registered balancer names, sorted (see {@code PickerFactories.names()}) */
    ClustersReader(ConfigProblems problems, List<String> balancerNames) {
        this.problems = problems;
        this.balancers = List.copyOf(balancerNames);
        this.fallbackPolicies = balancers.stream().filter(b -> !b.equals(MAGLEV)).toList();
    }

    /** Reads every cluster with a usable, unique name; the others are reported (and their fields still checked). */
    List<ClusterConfig> read(List<ConfigNode> items) {
        List<ClusterConfig> clusters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ClusterConfig cluster = cluster(items.get(i), i + 1);
            if (cluster != null) {
                clusters.add(cluster);
            }
        }
        return clusters;
    }

    private ClusterConfig cluster(ConfigNode item, int index) {
        String peeked = MappingReader.peekText(item, "name");
        String label = peeked == null || peeked.isBlank() ? "cluster " + index : "cluster '" + peeked + "'";
        MappingReader s = MappingReader.of(item, "cluster " + index, "in " + label, problems, CLUSTER_KEYS);
        if (s == null) {
            return null;
        }
        String name = name(s);
        ClusterConfig d = ClusterConfig.simple(name, "round_robin", List.of());
        String balancer = choice(s, "balancer", d.balancer(), balancers);
        String hashKey = hashKey(s, d.hashKey());
        String hashFallback = choice(s, "hash_fallback", d.hashFallback(), fallbackPolicies);
        List<ConfigNode> backendItems = s.list("backends");
        List<BackendConfig> backends = backendItems == null ? List.of() : backends(backendItems, label);
        int backendCount = backendItems == null ? 0 : backendItems.size();
        int before = problems.count();
        int tableSize = s.intNumber("maglev_table_size", d.maglevTableSize(), 1, MaglevTableSize.MAX);
        if (balancer.equals(MAGLEV) && problems.count() == before) { // a size already reported is not checked again
            MaglevTableSize.check(s, tableSize, backendCount);
        }
        Duration ewmaDecay = s.duration("ewma_decay", d.ewmaDecay(), true);
        Timeouts timeouts = timeouts(s.mapping("timeouts", "in the timeouts of " + label, TIMEOUT_KEYS));
        long maxRequestBody = s.size("max_request_body", d.maxRequestBody(), 0, Long.MAX_VALUE);
        HealthCheckConfig healthCheck = ClusterPoliciesReader.healthCheck(
                s.mapping("health_check", "in the health_check of " + label, ClusterPoliciesReader.HEALTH_KEYS));
        OutlierConfig outlier = ClusterPoliciesReader.outlier(s.mapping("outlier_detection",
                "in the outlier_detection of " + label, ClusterPoliciesReader.OUTLIER_KEYS));
        RetryConfig retries = ClusterPoliciesReader.retries(
                s.mapping("retries", "in the retries of " + label, ClusterPoliciesReader.RETRY_KEYS));
        ClusterLimits limits = limits(s.mapping("limits", "in the limits of " + label, LIMIT_KEYS));
        if (name == null) {
            return null;
        }
        return new ClusterConfig(name, balancer, hashKey, hashFallback, tableSize, ewmaDecay, backends, timeouts,
                maxRequestBody, healthCheck, outlier, retries, limits);
    }

    /** The cluster's name, or {@code null} when missing, malformed or taken (all reported). */
    private String name(MappingReader s) {
        String name = s.requiredText("name");
        if (name == null) {
            return null;
        }
        ConfigNode at = s.value("name");
        if (!ConfigSyntax.isPlainName(name)) {
            problems.at(at, "bad cluster name '" + name + "': " + ConfigSyntax.NAME_RULE);
            return null;
        }
        ConfigNode first = names.putIfAbsent(name, at);
        if (first != null) {
            problems.at(at, "duplicate cluster name '" + name + "' (first at line " + first.line() + ", column "
                    + first.column() + ")");
            return null;
        }
        return name;
    }

    /** The value of {@code key}, which must be one of {@code allowed}; {@code fallback} when absent or (reported) not. */
    private String choice(MappingReader s, String key, String fallback, List<String> allowed) {
        if (!s.has(key)) {
            return fallback;
        }
        String value = s.text(key, null);
        if (value == null) {
            return fallback;
        }
        if (key.equals("hash_fallback") && value.equals(MAGLEV)) {
            problems.at(s.value(key), "hash_fallback cannot be maglev: requests without a hash key need a policy"
                    + " that does not hash, such as random");
            return fallback;
        }
        if (!allowed.contains(value)) {
            problems.at(s.value(key), "unknown " + key + " '" + value + "': expected one of "
                    + String.join(", ", allowed) + DidYouMean.hint(value, allowed));
            return fallback;
        }
        return value;
    }

    private String hashKey(MappingReader s, String fallback) {
        String value = s.text("hash_key", null);
        if (value == null) {
            return fallback;
        }
        try {
            return ConfigValues.checkHashKey(value);
        } catch (IllegalArgumentException e) {
            problems.at(s.value("hash_key"), e.getMessage());
            return fallback;
        }
    }

    private List<BackendConfig> backends(List<ConfigNode> items, String cluster) {
        List<BackendConfig> backends = new ArrayList<>();
        Map<String, ConfigNode> addresses = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String label = "backend " + (i + 1) + " of " + cluster;
            MappingReader b = MappingReader.of(items.get(i), label, "in " + label, problems, BACKEND_KEYS);
            if (b == null) {
                continue;
            }
            HostPort address = backendAddress(b, addresses, cluster);
            int weight = b.intNumber("weight", 1, 1, MAX_WEIGHT);
            String stateText = b.text("state", BackendState.ACTIVE.wireName());
            BackendState state = BackendState.fromWireName(stateText);
            if (state == null) {
                problems.at(b.value("state"), "unknown state '" + stateText
                        + "': expected active, draining or disabled");
                state = BackendState.ACTIVE;
            }
            if (address != null) {
                backends.add(new BackendConfig(address, weight, state));
            }
        }
        return backends;
    }

    /** The backend's address, or {@code null} when missing, malformed, port 0 or already in the cluster. */
    private HostPort backendAddress(MappingReader b, Map<String, ConfigNode> addresses, String cluster) {
        String text = b.requiredText("address");
        if (text == null) {
            return null;
        }
        ConfigNode at = b.value("address");
        HostPort address;
        try {
            address = HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(at, e.getMessage());
            return null;
        }
        if (address.port() == 0) {
            problems.at(at, "backend address " + address + " has port 0: expected a port 1..65535");
            return null;
        }
        ConfigNode first = addresses.putIfAbsent(address.toString(), at);
        if (first != null) {
            problems.at(at, "duplicate backend " + address + " in " + cluster + " (first at line " + first.line()
                    + ", column " + first.column() + ")");
            return null;
        }
        return address;
    }

    private static Timeouts timeouts(MappingReader s) {
        Timeouts d = Timeouts.defaults();
        if (s == null) {
            return d;
        }
        return new Timeouts(s.duration("connect", d.connect(), true), s.duration("response", d.response(), true),
                s.duration("idle", d.idle(), true));
    }

    private static ClusterLimits limits(MappingReader s) {
        ClusterLimits d = ClusterLimits.defaults();
        if (s == null) {
            return d;
        }
        return new ClusterLimits(
                s.intNumber("max_connections_per_backend", d.maxConnectionsPerBackend(), 1, Integer.MAX_VALUE),
                s.intNumber("max_pending", d.maxPending(), 0, Integer.MAX_VALUE));
    }
}
