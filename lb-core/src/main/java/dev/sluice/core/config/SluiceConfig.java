package dev.sluice.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A whole, validated configuration: an immutable snapshot.
 *
 * @param source     the file it was read from, or {@code null} for the embedded demo and tests
 * @param extensions top-level sections owned by filter providers (e.g. {@code policy}), by section name
 */
public record SluiceConfig(
        Path source,
        RuntimeConfig runtime,
        AdminConfig admin,
        List<ListenerConfig> listeners,
        List<ClusterConfig> clusters,
        Map<String, ConfigNode> extensions) {

    public SluiceConfig {
        listeners = List.copyOf(listeners);
        clusters = List.copyOf(clusters);
        extensions = Map.copyOf(extensions);
    }

    public ClusterConfig cluster(String name) {
        for (ClusterConfig c : clusters) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
