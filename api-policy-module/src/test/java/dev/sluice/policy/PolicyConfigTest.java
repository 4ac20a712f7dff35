package dev.sluice.policy;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.policy.config.PolicyConfig;
import dev.sluice.policy.config.PolicyConfigReader;
import dev.sluice.policy.config.QuotaPeriod;
import dev.sluice.policy.config.VersionSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyConfigTest {

    static final String CORE = """
            runtime:
              state_dir: /var/lib/sluice-test
            listeners:
              - name: public
                bind: 127.0.0.1:0
                routes:
                  - match: { path_prefix: / }
                    cluster: web
            clusters:
              - name: web
                backends: [ { address: "127.0.0.1:9001" } ]
              - name: orders-v1
                backends: [ { address: "127.0.0.1:9002" } ]
            """;

    static List<String> errors(String policy) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("sluice.yaml", CORE + policy));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldReadTheContractExampleWithItsDefaults() throws Exception {
        SluiceConfig config = ConfigLoader.parse("sluice.yaml", CORE + """
                policy:
                  plans:
                    gold: { rate: 100/s, burst: 200, quota: 1000000/day }
                    free: { rate: 5/m, quota: 1000/month }
                  consumers:
                    - { name: acme, plan: gold, key_sha256: "%s" }
                  apis:
                    - name: orders
                      match: { path_prefix: /orders/ }
                      auth: api_key
                      key_header: X-Key
                      versions:
                        from: header:Api-Version
                        default: v1
                        clusters: { v1: orders-v1 }
                        deprecated: { v1: 2027-06-30 }
                """.formatted("ab".repeat(32)));
        PolicyConfig policy = PolicyConfigReader.read(config.extensions().get("policy"), config).config();
        assertEquals(Path.of("/var/lib/sluice-test/policy"), policy.store());
        assertEquals(5, policy.plans().get("free").burst());
        assertEquals(60, policy.plans().get("free").rate().windowSeconds());
        assertEquals(QuotaPeriod.MONTH, policy.plans().get("free").quota().period());
        assertEquals("x-key", policy.apis().get(0).keyHeader());
        assertEquals(VersionSource.HEADER, policy.apis().get(0).versions().source());
        assertEquals("api-version", policy.apis().get(0).versions().headerName());
    }

    @Test
    void shouldReportEveryProblemAtItsPosition() {
        List<String> errors = errors("""
                policy:
                  plans:
                    gold: { rate: 100/x, burst: -1, quota: 10/week }
                  consumers:
                    - { name: acme, plan: silver, key_sha256: "abc" }
                  apis:
                    - name: orders
                      auth: magic
                      versions:
                        from: query
                        default: v3
                        clusters: { v1: nowhere }
                        deprecated: { v1: 30/06/2027 }
                  colour: blue
                """);
        assertEquals(List.of(
                "sluice.yaml:16:19: bad rate '100/x': expected requests per time unit, such as 100/s, 5/m or 1000/h"
                        + " (1..1000000000 requests)",
                "sluice.yaml:16:33: bad burst '-1' in plan 'gold': expected a whole number 1..1000000000",
                "sluice.yaml:16:44: bad quota '10/week': expected requests per calendar period, such as 1000/day"
                        + " (periods: /minute, /hour, /day, /month; 1..68719476735 requests)",
                "sluice.yaml:18:27: unknown plan 'silver': expected one of gold",
                "sluice.yaml:18:47: bad key_sha256: expected the 64 hex digits of the key's SHA-256",
                "sluice.yaml:21:13: bad auth 'magic' in api 'orders': expected api_key or none",
                "sluice.yaml:23:15: bad versions.from 'query' in api 'orders': expected path, header:NAME or accept",
                "sluice.yaml:25:25: unknown cluster 'nowhere' for version 'v1' of api 'orders'",
                "sluice.yaml:26:23: deprecated version 'v1' is not a version of api 'orders'",
                "sluice.yaml:27:3: unknown key 'colour' in policy: expected one of store, plans, consumers, apis"),
                errors);
    }

    @Test
    void shouldRejectBadDatesDuplicatesAndMissingNames() {
        List<String> errors = errors("""
                policy:
                  plans:
                    gold: { quota: 5/day }
                  consumers:
                    - { name: acme, plan: gold, key_sha256: "%1$s" }
                    - { name: acme, plan: gold, key_sha256: "%1$s" }
                  apis:
                    - match: { path_prefix: orders }
                      versions:
                        from: path
                        clusters: { v1: orders-v1 }
                        deprecated: { v1: 2027-13-40 }
                """.formatted("cd".repeat(32)));
        assertEquals(List.of(
                "sluice.yaml:19:15: duplicate consumer name 'acme'",
                "sluice.yaml:19:45: duplicate key_sha256: two consumers cannot share a key",
                "sluice.yaml:21:7: missing required key 'name' in an api",
                "sluice.yaml:21:29: bad path_prefix 'orders': it must start with '/'",
                "sluice.yaml:25:27: bad date '2027-13-40': expected YYYY-MM-DD, such as 2027-06-30"), errors);
    }

    @Test
    void shouldNotLoadTheModuleWithoutAPolicySection() throws Exception {
        SluiceConfig config = ConfigLoader.parse("sluice.yaml", CORE);
        assertTrue(config.extensions().isEmpty());
        try (TestBackend web = TestBackend.named("web");
             ProxyFixture proxy = ProxyFixture.start("nio", 1, web)) {
            assertTrue(proxy.server().filterFactories().isEmpty());
            assertEquals(200, proxy.client().get("/orders/1").status());
        }
    }
}
