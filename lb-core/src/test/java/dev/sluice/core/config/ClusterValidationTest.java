package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.core.config.TestConfigs.MINIMAL;
import static dev.sluice.core.config.TestConfigs.errors;
import static dev.sluice.core.config.TestConfigs.parse;
import static dev.sluice.core.config.TestConfigs.webClusterWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterValidationTest {

    /** A config whose cluster 'web' has {@code count} backends (ports 10000 and up), then {@code clusterLines}. */
    private static String webWithBackends(int count, String clusterLines) {
        StringBuilder yaml = new StringBuilder("clusters:\n  - name: web\n").append(clusterLines.indent(4))
                .append("    backends:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("      - address: 127.0.0.1:").append(10_000 + i).append('\n');
        }
        return yaml.toString();
    }

    @Test
    void shouldRequireClusterNameAndBackendAddress() {
        assertEquals(List.of(
                "test.yaml:2:5: missing required key 'name' in cluster 1",
                "test.yaml:3:9: missing required key 'address' in backend 1 of cluster 1"),
                errors("clusters:\n  - backends:\n      - weight: 2\n"));
    }

    @Test
    void shouldRejectDuplicateClusterNames() {
        assertEquals(List.of("test.yaml:10:11: duplicate cluster name 'web' (first at line 7, column 11)"),
                errors(MINIMAL + "  - name: web\n"));
    }

    @Test
    void shouldRejectDuplicateBackendAddressesInACluster() {
        assertEquals(List.of("test.yaml:10:18: duplicate backend 127.0.0.1:9001 in cluster 'web' (first at line 9,"
                + " column 18)"), errors(MINIMAL + "      - address: 127.0.0.1:9001\n"));
    }

    @Test
    void shouldRejectBadBackendAddresses() {
        assertEquals(List.of("test.yaml:10:18: bad address '127.0.0.1'; expected host:port"),
                errors(MINIMAL + "      - address: 127.0.0.1\n"));
        assertEquals(List.of("test.yaml:10:18: backend address 127.0.0.1:0 has port 0: expected a port 1..65535"),
                errors(MINIMAL + "      - address: 127.0.0.1:0\n"));
    }

    @Test
    void shouldRejectAnUnknownBalancerListingTheKnownOnes() {
        assertEquals(List.of("test.yaml:10:15: unknown balancer 'roundrobin': expected one of least_request, maglev,"
                + " peak_ewma, random, round_robin (did you mean 'round_robin'?)"),
                errors(webClusterWith("balancer: roundrobin")));
    }

    @Test
    void shouldCheckTheHashKeyForm() throws ConfigException {
        assertEquals(List.of("test.yaml:10:15: bad hash_key 'cookie:': the name after 'cookie:' must be a non-empty"
                + " HTTP token (letters, digits and !#$%&'*+-.^_`|~)"), errors(webClusterWith("hash_key: \"cookie:\"")));
        assertEquals(List.of("test.yaml:10:15: bad hash_key 'ip': expected client_ip, path, header:NAME, cookie:NAME"
                + " or query:NAME"), errors(webClusterWith("hash_key: ip")));
        assertEquals("header:x-user", parse(webClusterWith("hash_key: header:x-user")).cluster("web").hashKey());
    }

    @Test
    void shouldAcceptAnyNonMaglevPolicyAsHashFallback() throws ConfigException {
        assertEquals("least_request", parse(webClusterWith("hash_fallback: least_request")).cluster("web").hashFallback());
        assertEquals(List.of("test.yaml:10:20: hash_fallback cannot be maglev: requests without a hash key need a"
                + " policy that does not hash, such as random"), errors(webClusterWith("hash_fallback: maglev")));
        assertEquals(List.of("test.yaml:10:20: unknown hash_fallback 'sticky': expected one of least_request,"
                + " peak_ewma, random, round_robin"), errors(webClusterWith("hash_fallback: sticky")));
    }

    @Test
    void shouldRequireAPrimeMaglevTableSize() {
        assertEquals(List.of("test.yaml:11:24: maglev_table_size 65536 is not prime: expected a prime such as 65537"),
                errors(webClusterWith("balancer: maglev\nmaglev_table_size: 65536")));
    }

    @Test
    void shouldRequireAMaglevTableOfMoreThanAHundredSlotsPerBackend() {
        assertEquals(List.of("test.yaml:4:24: maglev_table_size 101 is too small for 2 backends: expected a prime above"
                + " 200, such as 211"), errors(webWithBackends(2, "balancer: maglev\nmaglev_table_size: 101")));
        assertEquals(List.of("test.yaml:3:15: maglev_table_size 65537 (the default) is too small for 700 backends:"
                + " expected a prime above 70000, such as 70001"), errors(webWithBackends(700, "balancer: maglev")));
    }

    @Test
    void shouldCapTheMaglevTableSize() throws ConfigException {
        assertEquals(List.of("test.yaml:11:24: maglev_table_size 5000012 is out of range: expected 1..5000011"),
                errors(webClusterWith("balancer: maglev\nmaglev_table_size: 5000012")));
        assertEquals(5_000_011, parse(webClusterWith("balancer: maglev\nmaglev_table_size: 5000011")).cluster("web")
                .maglevTableSize());
    }

    @Test
    void shouldCheckMaglevTableSizeRulesOnlyForMaglev() throws ConfigException {
        assertEquals(65536, parse(webClusterWith("maglev_table_size: 65536")).cluster("web").maglevTableSize());
    }

    @Test
    void shouldRejectWeightsOutsideOneTo10000() {
        assertEquals(List.of("test.yaml:10:17: weight 0 is out of range: expected 1..10000"),
                errors(MINIMAL + "        weight: 0\n"));
        assertEquals(List.of("test.yaml:10:17: weight 10001 is out of range: expected 1..10000"),
                errors(MINIMAL + "        weight: 10001\n"));
        assertEquals(List.of("test.yaml:10:17: bad weight 'heavy': expected a whole number 1..10000"),
                errors(MINIMAL + "        weight: heavy\n"));
    }

    @Test
    void shouldRejectAnUnknownBackendState() {
        assertEquals(List.of("test.yaml:10:16: unknown state 'paused': expected active, draining or disabled"),
                errors(MINIMAL + "        state: paused\n"));
    }

    @Test
    void shouldRejectBackendsThatAreNotAList() {
        assertEquals(List.of("test.yaml:3:15: 'backends' in cluster 'web' must be a list, found a mapping"),
                errors("clusters:\n  - name: web\n    backends: { address: 127.0.0.1:9001 }\n"));
    }

    @Test
    void shouldRejectABackendThatIsNotAMapping() {
        assertEquals(List.of("test.yaml:4:9: backend 1 of cluster 'web' must be a mapping, found '127.0.0.1:9001'"),
                errors("clusters:\n  - name: web\n    backends:\n      - 127.0.0.1:9001\n"));
    }

    @Test
    void shouldRejectBadBodyLimitsAndTimeouts() {
        assertEquals(List.of(
                "test.yaml:10:23: bad size '-1': sizes cannot be negative",
                "test.yaml:11:17: ewma_decay must be longer than 0",
                "test.yaml:12:26: connect must be longer than 0",
                "test.yaml:13:44: max_connections_per_backend 0 is out of range: expected 1..2147483647"),
                errors(webClusterWith("""
                        max_request_body: -1
                        ewma_decay: 0ms
                        timeouts: { connect: 0, idle: 5m }
                        limits: { max_connections_per_backend: 0 }
                        """)));
    }
}
