package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API policy end to end through the running service: a consumer made through the admin API gets a key that
 * works on the proxy listener, and the admin API's revocation shuts it out.
 */
class AdminPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;
    private TestBackend web;
    private AdminFixture sluice;

    @BeforeEach
    void start() throws Exception {
        web = closer.use(TestBackend.named("web"));
        String policy = """
                policy:
                  store: %s
                  plans:
                    gold: { rate: 100/s, burst: 200, quota: 1000000/day }
                  apis:
                    - name: orders
                      match: { path_prefix: /orders/ }
                      auth: api_key
                """.formatted(dir.resolve("policy"));
        sluice = closer.use(AdminFixture.start(dir, AdminFixture.yaml(dir.resolve("state"), "", "round_robin",
                web.address().toString()) + policy));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void shouldAdmitAKeyMadeThroughTheAdminApiAndRefuseItOnceRevoked() throws Exception {
        HttpResponse<String> created = sluice.admin("POST", "/api/v1/consumers", "{\"name\":\"acme\",\"plan\":\"gold\"}");
        assertEquals(201, created.statusCode(), created.body());
        String key = json(created).get("key").asText();
        String keyId = json(created).get("key_id").asText();
        assertEquals("acme", json(created).get("name").asText());

        HttpResponse<String> ok = sluice.proxy("/orders/1", "x-api-key", key);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("web", ok.body());
        assertTrue(ok.headers().firstValue("RateLimit").isPresent(), "an admitted response carries RateLimit");
        List<TestBackend.RecordedRequest> seen = web.received();
        assertEquals(1, seen.size());
        assertEquals("acme", seen.get(0).header("x-consumer"));
        assertNull(seen.get(0).header("x-api-key"));
        assertFalse(seen.get(0).headers().toString().contains(key), "the key must not reach the backend");

        HttpResponse<String> described = sluice.admin("GET", "/api/v1/consumers/acme");
        assertEquals(200, described.statusCode(), described.body());
        assertEquals(keyId, json(described).get("key_ids").get(0).asText());
        assertEquals(1, json(described).get("usage").get("quota_used").asLong());
        assertFalse(described.body().contains(key), "the admin API shows a key only once");

        HttpResponse<String> revoked = sluice.admin("DELETE", "/api/v1/consumers/acme/keys/" + keyId);
        assertEquals(204, revoked.statusCode(), revoked.body());

        HttpResponse<String> refused = sluice.proxy("/orders/2", "x-api-key", key);
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("unauthorized", json(refused).get("error").asText());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        assertEquals(1, web.received().size(), "a refused request reaches no backend");
    }
}
