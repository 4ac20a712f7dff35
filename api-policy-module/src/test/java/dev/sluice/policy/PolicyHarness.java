package dev.sluice.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.config.YamlNodeReader;
import dev.sluice.core.filter.AdminEndpoint;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.policy.config.PolicyConfig;
import dev.sluice.policy.config.PolicyConfigReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A proxy with the policy module in front of named test backends (one cluster per backend, each named after it),
 * plus a catch-all route to the first, for integration tests. The policy section is YAML text.
 */
final class PolicyHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final ProxyFixture proxy;
    final List<TestBackend> backends;

    private PolicyHarness(ProxyFixture proxy, List<TestBackend> backends) {
        this.proxy = proxy;
        this.backends = backends;
    }

    /** Starts backends named {@code clusters}, and a proxy whose {@code policy:} section is {@code policyYaml}. */
    static PolicyHarness start(String transport, int loops, Path store, String policyYaml, String... clusters) {
        List<TestBackend> backends = new ArrayList<>();
        List<dev.sluice.core.config.ClusterConfig> configs = new ArrayList<>();
        for (String name : clusters) {
            TestBackend b = TestBackend.named(name);
            backends.add(b);
            configs.add(ProxyFixture.cluster(name, "round_robin", b));
        }
        SluiceConfig base = ProxyFixture.config(transport, loops, ListenerLimits.defaults(), configs,
                List.of(ProxyFixture.route("/", clusters[0])));
        SluiceConfig config = withPolicy(base, store, policyYaml);
        return new PolicyHarness(ProxyFixture.start(config), backends);
    }

    static SluiceConfig withPolicy(SluiceConfig base, Path store, String policyYaml) {
        ConfigNode section = section("store: " + store + "\n" + policyYaml);
        List<dev.sluice.core.config.ConfigError> errors = new PolicyFilterProvider().validate(section, base);
        assertEquals(List.of(), errors);
        return new SluiceConfig(null, base.runtime(), base.admin(), base.listeners(), base.clusters(),
                Map.of("policy", section));
    }

    /**
     * Reads {@code policyYaml} (a {@code policy:} section without its key) against a core config with one cluster,
     * {@code web}, as startup would, without starting anything.
     */
    static PolicyConfigReader.Result read(String policyYaml) {
        SluiceConfig core = ProxyFixture.config("nio", 1, ListenerLimits.defaults(),
                List.of(ProxyFixture.cluster("web", "round_robin", new TestBackend[0])), List.of());
        return PolicyConfigReader.read(section(policyYaml), core);
    }

    /** {@link #read}, failing the test on any config error. */
    static PolicyConfig readValid(String policyYaml) {
        PolicyConfigReader.Result r = read(policyYaml);
        assertEquals(List.of(), r.errors());
        return r.config();
    }

    static ConfigNode section(String policyYaml) {
        try {
            return YamlNodeReader.read("sluice.yaml", "policy:\n" + policyYaml.indent(2)).get("policy");
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    TestBackend backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    PolicyFilterFactory factory() {
        for (HttpFilterFactory f : proxy.server().filterFactories()) {
            if (f instanceof PolicyFilterFactory p) {
                return p;
            }
        }
        throw new AssertionError("the policy module was not loaded");
    }

    AdminEndpoint.AdminReply admin(String method, String path, String body) {
        return factory().adminEndpoints().get(0).handle(method, path, body);
    }

    /** Creates a consumer through the admin endpoint and returns its answer. */
    JsonNode createConsumer(String name, String plan) {
        AdminEndpoint.AdminReply r = admin("POST", "/api/v1/consumers",
                "{\"name\":\"" + name + "\",\"plan\":\"" + plan + "\"}");
        assertEquals(201, r.status(), r.jsonBody());
        return json(r.jsonBody());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One GET on a fresh connection with extra header lines (each {@code "Name: value"}). */
    RawHttpClient.Response get(String path, String... headers) throws IOException {
        try (RawHttpClient c = proxy.client()) {
            return send(c, path, headers);
        }
    }

    static RawHttpClient.Response send(RawHttpClient c, String path, String... headers) throws IOException {
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        c.send(req.append("\r\n").toString());
        return c.readResponse(false);
    }

    @Override
    public void close() {
        proxy.close();
        backends.forEach(TestBackend::close);
    }
}
