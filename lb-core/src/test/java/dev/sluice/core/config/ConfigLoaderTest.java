package dev.sluice.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.sluice.core.config.TestConfigs.MINIMAL;
import static dev.sluice.core.config.TestConfigs.errors;
import static dev.sluice.core.config.TestConfigs.parse;
import static dev.sluice.core.config.TestConfigs.webClusterWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigLoaderTest {

    private static final String VERBATIM_END = "  # --- not in CONTRACT.md";

    private static Path contractExample() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ConfigLoaderTest.class.getResource("/config/contract-example.yaml")).toURI());
    }

    @Test
    void shouldParseTheContractExampleIntoTheExpectedRecords() throws Exception {
        Path file = contractExample();
        SluiceConfig config = ConfigLoader.load(file);

        assertEquals(file, config.source());
        assertEquals(new RuntimeConfig(0, "auto", Duration.ofSeconds(30), Path.of("/var/lib/sluice")), config.runtime());
        assertEquals(new AdminConfig(new HostPort("127.0.0.1", 9901), Path.of("/etc/sluice/admin.token")), config.admin());
        List<RouteConfig> routes = List.of(
                new RouteConfig(new RouteMatch("api.example.com", "/v1/", "GET", Map.of("x-canary", "1")), "api"),
                new RouteConfig(new RouteMatch(null, "/", null, Map.of()), "web"));
        assertEquals(List.of(new ListenerConfig("public", new HostPort("0.0.0.0", 8080), ListenerLimits.defaults(), routes)),
                config.listeners());
        ClusterConfig web = new ClusterConfig("web", "round_robin", "client_ip", "random", 65537, Duration.ofSeconds(10),
                List.of(new BackendConfig(new HostPort("127.0.0.1", 9001), 1, BackendState.ACTIVE)),
                new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60)),
                10L * 1024 * 1024,
                new HealthCheckConfig("http", "/healthz", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, null, List.of()),
                new OutlierConfig(5, Duration.ofSeconds(30), 50),
                new RetryConfig(2, java.util.Set.of("connect_failure", "reset", "503"), 20),
                new ClusterLimits(1024, 1024));
        ClusterConfig api = ClusterConfig.simple("api", "random",
                List.of(new BackendConfig(new HostPort("127.0.0.1", 9002), 1)));
        assertEquals(List.of(web, api), config.clusters());
        assertEquals(Map.of(), config.extensions());
    }

    @Test
    void shouldReportOnlyTheUndefinedClusterInTheVerbatimContractExample() throws Exception {
        String text = Files.readString(contractExample());
        String verbatim = text.substring(0, text.indexOf(VERBATIM_END));
        assertEquals(List.of("test.yaml:23:18: unknown cluster 'api' in route 1 of listener 'public': expected one of web"),
                errors(verbatim));
    }

    @Test
    void shouldApplyTheContractDefaultsToAMinimalConfig() throws ConfigException {
        SluiceConfig config = parse(MINIMAL);
        assertNull(config.source());
        assertEquals(RuntimeConfig.defaults(), config.runtime());
        assertEquals(new RuntimeConfig(0, "auto", Duration.ofSeconds(30), Path.of("/var/lib/sluice")), config.runtime());
        assertEquals(new AdminConfig(new HostPort("127.0.0.1", 9901), null), config.admin());
        ListenerConfig listener = config.listeners().get(0);
        assertEquals(new ListenerLimits(8192, 65536, 100, 100_000, 10_000, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(60)), listener.limits());
        assertEquals(List.of(new RouteConfig(RouteMatch.any(), "web")), listener.routes());
        ClusterConfig web = config.cluster("web");
        assertEquals(ClusterConfig.simple("web", "round_robin",
                List.of(new BackendConfig(new HostPort("127.0.0.1", 9001), 1, BackendState.ACTIVE))), web);
        assertEquals(-1, web.maxRequestBody());
        assertNull(web.healthCheck());
        assertNull(web.outlierDetection());
        assertNull(web.retries());
    }

    @Test
    void shouldFillLeftOutKeysOfPresentOptionalSectionsWithDefaults() throws ConfigException {
        ClusterConfig web = parse(webClusterWith("""
                health_check: {}
                outlier_detection:
                retries: { attempts: 1 }
                """)).cluster("web");
        assertEquals(new HealthCheckConfig("http", "/healthz", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3,
                null, List.of()), web.healthCheck());
        assertEquals(OutlierConfig.defaults(), web.outlierDetection());
        assertEquals(new RetryConfig(1, RetryConfig.defaults().on(), 20), web.retries());
    }

    @Test
    void shouldReadHealthCheckHostAndExpectedStatuses() throws ConfigException {
        HealthCheckConfig check = parse(webClusterWith(
                "health_check: { path: /ready, host: app.internal:8080, expected_statuses: [200, 204] }"))
                .cluster("web").healthCheck();
        assertEquals("/ready", check.path());
        assertEquals("app.internal:8080", check.host());
        assertEquals(List.of(200, 204), check.expectedStatuses());
    }

    @Test
    void shouldReadBackendWeightAndState() throws ConfigException {
        SluiceConfig config = parse(MINIMAL + """
                      - address: "[::1]:9002"
                        weight: 3
                        state: draining
                """);
        assertEquals(new BackendConfig(new HostPort("::1", 9002), 3, BackendState.DRAINING),
                config.cluster("web").backends().get(1));
    }

    @Test
    void shouldReportEveryProblemAtOnceInFileOrder() {
        assertEquals(List.of(
                "test.yaml:2:12: bad workers 'lots': expected auto or a number 1..1024",
                "test.yaml:5:11: bad address '127.0.0.1'; expected host:port",
                "test.yaml:7:18: unknown cluster 'wbe' in route 1 of listener 'public': expected one of web"
                        + " (did you mean 'web'?)",
                "test.yaml:10:15: unknown balancer 'fastest': expected one of least_request, maglev, peak_ewma,"
                        + " random, round_robin",
                "test.yaml:12:9: unknown key 'adress' in backend 1 of cluster 'web' (did you mean 'address'?)",
                "test.yaml:12:9: missing required key 'address' in backend 1 of cluster 'web'",
                "test.yaml:13:26: bad duration '2x': expected a number with ms, s, m or h"),
                errors("""
                        runtime:
                          workers: lots
                        listeners:
                          - name: public
                            bind: 127.0.0.1
                            routes:
                              - cluster: wbe
                        clusters:
                          - name: web
                            balancer: fastest
                            backends:
                              - adress: 127.0.0.1:9001
                            timeouts: { connect: 2x }
                        """));
    }

    @Test
    void shouldReportAnUnreadableFileAtItsFirstLine(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(List.of(missing + ":1:1: cannot read the config file: no such file"),
                e.errors().stream().map(ConfigError::toString).toList());
        ConfigException directory = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals(List.of(dir + ":1:1: cannot read the config file: it is a directory"),
                directory.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void shouldReportAFileThatIsNotUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ":1:1: cannot read the config file: it is not UTF-8 text", e.errors().get(0).toString());
    }

    @Test
    void shouldRejectAnEmptyConfig() {
        assertEquals(List.of("test.yaml:1:1: the config is empty: expected at least the listeners: and clusters:"
                + " sections"), errors("# nothing yet\n"));
    }

    @Test
    void shouldRejectAConfigThatIsNotAMapping() {
        assertEquals(List.of("test.yaml:1:1: the config must be a mapping, found a list"), errors("- listeners\n"));
    }

    @Test
    void shouldStoreMatchHostsAndHeaderNamesInLowerCase() throws ConfigException {
        SluiceConfig config = parse(MINIMAL.replace("- cluster: web",
                "- { cluster: web, match: { host: \"*.Example.COM\", headers: { X-Canary: \"On\" } } }"));
        RouteMatch match = config.listeners().get(0).routes().get(0).match();
        assertEquals("*.example.com", match.host());
        assertEquals(Map.of("x-canary", "On"), match.headers());
    }
}
