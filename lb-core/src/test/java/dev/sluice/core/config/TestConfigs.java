package dev.sluice.core.config;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Parses test configs against a fixed catalog (the five balancers of the contract, no filter providers), so
 * expected messages do not depend on which policies happen to be registered. Positions name {@code test.yaml}.
 */
final class TestConfigs {

    static final ConfigCatalog CATALOG = new ConfigCatalog(
            List.of("least_request", "maglev", "peak_ewma", "random", "round_robin"), List.of());

    /** A valid config: one listener on port 0 routing everything to cluster 'web' with one backend. */
    static final String MINIMAL = """
            listeners:
              - name: public
                bind: 127.0.0.1:0
                routes:
                  - cluster: web
            clusters:
              - name: web
                backends:
                  - address: 127.0.0.1:9001
            """;

    private TestConfigs() {
    }

    static SluiceConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yaml", yaml, null, CATALOG);
    }

    /** The errors of a config that must be invalid, each as {@code FILE:LINE:COLUMN: message}. */
    static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    /** {@link #MINIMAL} with {@code clusterLines} (indented as cluster keys) added to cluster 'web'. */
    static String webClusterWith(String clusterLines) {
        return MINIMAL + clusterLines.indent(4);
    }
}
