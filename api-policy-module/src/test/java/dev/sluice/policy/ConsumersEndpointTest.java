package dev.sluice.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.filter.AdminEndpoint.AdminReply;
import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.policy.config.PolicyConfigReader;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsumersEndpointTest {

    static final String POLICY = """
            plans:
              gold: { rate: 100/s, burst: 200, quota: 1000/day }
              free: { rate: 5/s }
            consumers:
              - { name: configured, plan: gold, key_sha256: "%s" }
            apis:
              - name: orders
                match: { path_prefix: /orders/ }
            """.formatted("ef".repeat(32));

    @TempDir
    Path store;
    final FakeClock clock = new FakeClock(Instant.parse("2026-11-28T12:00:00Z").toEpochMilli());
    PolicyFilterFactory factory;

    @BeforeEach
    void open() {
        factory = PolicyFilterFactory.open(read(POLICY).config(), clock);
    }

    @AfterEach
    void close() {
        factory.close();
    }

    PolicyConfigReader.Result read(String policy) {
        return PolicyHarness.read("store: " + store + "\n" + policy);
    }

    AdminReply call(String method, String path, String body) {
        return factory.adminEndpoints().get(0).handle(method, path, body);
    }

    static void assertError(AdminReply r, int status, String code) {
        assertEquals(status, r.status(), r.jsonBody());
        JsonNode body = PolicyHarness.json(r.jsonBody());
        assertEquals(code, body.get("error").asText());
        assertFalse(body.get("message").asText().isBlank());
    }

    @Test
    void shouldCreateAConsumerAndShowTheKeyOnlyOnce() {
        AdminReply created = call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        assertEquals(201, created.status());
        JsonNode body = PolicyHarness.json(created.jsonBody());
        String key = body.get("key").asText();
        assertTrue(key.startsWith("sk_") && key.length() == 46, key); // 256 bits in base64url
        assertEquals("acme", body.get("name").asText());
        AdminReply shown = call("GET", "/api/v1/consumers/acme", null);
        assertEquals(200, shown.status());
        assertFalse(shown.jsonBody().contains(key.substring(3)));
        JsonNode described = PolicyHarness.json(shown.jsonBody());
        assertEquals("gold", described.get("plan").asText());
        assertEquals(body.get("key_id").asText(), described.get("key_ids").get(0).asText());
        assertEquals(0, described.get("usage").get("quota_used").asLong());
        assertEquals(1000, described.get("usage").get("quota_limit").asLong());
        assertEquals("2026-11-29T00:00:00Z", described.get("usage").get("resets_at").asText());
    }

    @Test
    void shouldStoreOnlyHashesOfKeys() throws Exception {
        String key = PolicyHarness.json(call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}")
                .jsonBody()).get("key").asText();
        byte[] file = Files.readAllBytes(store.resolve(PolicyStore.CONSUMERS_FILE));
        assertFalse(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(key.substring(3)));
        String hash = java.util.HexFormat.of().formatHex(ApiKeys.sha256(key));
        assertTrue(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(hash));
    }

    @Test
    void shouldValidateBodies() {
        assertError(call("POST", "/api/v1/consumers", "{\"name\":\"acme\"}"), 400, "bad_request");
        assertError(call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"platinum\"}"), 400,
                "bad_request");
        assertError(call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\",\"x\":1}"), 400,
                "bad_request");
        assertError(call("POST", "/api/v1/consumers", "{\"name\":7,\"plan\":\"gold\"}"), 400, "bad_request");
        assertError(call("POST", "/api/v1/consumers", "{\"name\":\"a b\",\"plan\":\"gold\"}"), 400, "bad_request");
        assertError(call("POST", "/api/v1/consumers", "[1]"), 400, "bad_request");
        assertError(call("POST", "/api/v1/consumers", "{nope"), 400, "bad_request");
        assertError(call("POST", "/api/v1/consumers", null), 400, "bad_request");
        call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        assertError(call("PATCH", "/api/v1/consumers/acme", "{\"plan\":\"platinum\"}"), 400, "bad_request");
        assertError(call("PATCH", "/api/v1/consumers/acme", "{\"plan\":[]}"), 400, "bad_request");
    }

    @Test
    void shouldAnswer404And409() {
        assertError(call("GET", "/api/v1/consumers/nobody", null), 404, "not_found");
        assertError(call("PATCH", "/api/v1/consumers/nobody", "{\"plan\":\"free\"}"), 404, "not_found");
        assertError(call("POST", "/api/v1/consumers/nobody/keys", null), 404, "not_found");
        call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        assertError(call("DELETE", "/api/v1/consumers/acme/keys/0123456789abcdef", null), 404, "not_found");
        assertError(call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"free\"}"), 409, "conflict");
        assertError(call("POST", "/api/v1/consumers", "{\"name\":\"configured\",\"plan\":\"free\"}"), 409, "conflict");
        assertError(call("PATCH", "/api/v1/consumers/configured", "{\"plan\":\"free\"}"), 409, "conflict");
        assertError(call("PUT", "/api/v1/consumers/acme", "{}"), 405, "method_not_allowed");
        assertError(call("GET", "/api/v1/consumers/acme/other", null), 404, "not_found");
    }

    @Test
    void shouldAnswer503AfterAReloadClosedThisPolicy() {
        call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        factory.close();
        assertError(call("GET", "/api/v1/consumers/acme", null), 503, "unavailable");
        assertError(call("POST", "/api/v1/consumers/acme/keys", null), 503, "unavailable");
    }

    @Test
    void shouldChangeThePlan() {
        call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        AdminReply patched = call("PATCH", "/api/v1/consumers/acme", "{\"plan\":\"free\"}");
        assertEquals(200, patched.status());
        JsonNode usage = PolicyHarness.json(call("GET", "/api/v1/consumers/acme", null).jsonBody()).get("usage");
        assertTrue(usage.get("quota_limit").isNull());
        factory.close();
        factory = PolicyFilterFactory.open(read(POLICY).config(), clock);
        assertEquals("free", PolicyHarness.json(call("GET", "/api/v1/consumers/acme", null).jsonBody())
                .get("plan").asText());
    }

    @Test
    void shouldListConsumersAndWriteMetrics() {
        call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        assertEquals("{\"consumers\":[\"configured\",\"acme\"]}", call("GET", "/api/v1/consumers", null).jsonBody());
        StringBuilder metrics = new StringBuilder();
        factory.writeMetrics(metrics);
        String text = metrics.toString();
        assertTrue(text.contains("# TYPE sluice_policy_requests_total counter\n"), text);
        assertTrue(text.contains("# HELP sluice_policy_requests_total "), text);
        for (String decision : List.of("allowed", "unauthorized", "rate_limited", "quota_exceeded")) {
            assertTrue(text.contains("sluice_policy_requests_total{consumer=\"acme\",decision=\"" + decision
                    + "\"} 0\n"), text);
        }
        assertTrue(text.contains("sluice_policy_unauthorized_total{api=\"orders\"} 0\n"), text);
    }

    @Test
    void shouldAddUpTheRequestsAdmittedOnEveryLoopInTheMetrics() {
        String key = PolicyHarness.json(call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}")
                .jsonBody()).get("key").asText();
        HttpFilter first = factory.newFilter(null);
        HttpFilter second = factory.newFilter(null);
        for (int i = 0; i < 3; i++) {
            admit(first, key);
        }
        for (int i = 0; i < 2; i++) {
            admit(second, key);
        }
        StringBuilder metrics = new StringBuilder();
        factory.writeMetrics(metrics);
        String text = metrics.toString();
        assertTrue(text.contains("sluice_policy_requests_total{consumer=\"acme\",decision=\"allowed\"} 5\n"), text);
        assertTrue(text.contains("sluice_policy_requests_total{consumer=\"configured\",decision=\"allowed\"} 0\n"),
                text);
    }

    private void admit(HttpFilter filter, String key) {
        FakeContext ctx = new FakeContext(clock);
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/orders/1");
        req.headers().set("x-api-key", key);
        assertEquals(FilterResult.CONTINUE, filter.onRequestHead(ctx, req), String.valueOf(ctx.status));
        filter.onComplete(ctx);
    }

    @Test
    void shouldRefuseToStartOnACorruptStoreNamingThePath() throws Exception {
        factory.close();
        Path file = store.resolve(PolicyStore.CONSUMERS_FILE);
        byte[] garbage = new byte[4096];
        java.util.Arrays.fill(garbage, (byte) 0x5A);
        Files.write(file, garbage);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PolicyFilterFactory.open(read(POLICY).config(), clock));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        factory = PolicyFilterFactory.open(read(POLICY).config().withStore(store.resolve("fresh")), clock);
    }

    @Test
    void shouldRefuseAStoredConsumerWhosePlanIsGone() {
        call("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"free\"}");
        factory.close();
        String withoutFree = POLICY.replace("  free: { rate: 5/s }\n", "");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PolicyFilterFactory.open(read(withoutFree).config(), clock));
        assertTrue(e.getMessage().contains("plan 'free'") && e.getMessage().contains(store.toString()),
                e.getMessage());
        factory = PolicyFilterFactory.open(read(POLICY).config(), clock);
    }
}
