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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every admin endpoint and error code against a running service with real sockets. */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;
    private TestBackend a;
    private TestBackend b;
    private AdminFixture sluice;

    @BeforeEach
    void start() throws Exception {
        a = closer.use(TestBackend.named("a"));
        b = closer.use(TestBackend.named("b"));
        sluice = closer.use(AdminFixture.start(dir, AdminFixture.yaml(dir.resolve("state"), "", "round_robin", a.address().toString())));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).get("error").asText(), r.body());
        assertFalse(json(r).get("message").asText().isEmpty());
    }

    @Test
    void shouldAnswerHealthzAndReadyzWhileServing() throws Exception {
        HttpResponse<String> h = sluice.admin("GET", "/healthz");
        assertEquals(200, h.statusCode());
        assertEquals("ok", h.body().strip());
        assertEquals(200, sluice.admin("GET", "/readyz").statusCode());
    }

    @Test
    void shouldReportNotReadyOnceDraining() throws Exception {
        sluice.service.stop();
        assertEquals(503, sluice.admin("GET", "/readyz").statusCode());
        assertEquals(200, sluice.admin("GET", "/healthz").statusCode());
    }

    @Test
    void shouldListClustersWithBackendState() throws Exception {
        JsonNode list = json(sluice.admin("GET", "/api/v1/clusters"));
        assertEquals(1, list.size());
        JsonNode web = list.get(0);
        assertEquals("web", web.get("name").asText());
        assertEquals("round_robin", web.get("balancer").asText());
        JsonNode backend = web.get("backends").get(0);
        assertEquals(a.address().toString(), backend.get("address").asText());
        assertEquals(1, backend.get("weight").asInt());
        assertEquals("active", backend.get("state").asText());
        assertTrue(backend.get("healthy").asBoolean());
        assertEquals(0, backend.get("active_requests").asLong());
        assertEquals("web", json(sluice.admin("GET", "/api/v1/clusters/web")).get("name").asText());
    }

    @Test
    void shouldAnswer404ForUnknownClusterBackendOrPath() throws Exception {
        assertError(sluice.admin("GET", "/api/v1/clusters/nope"), 404, "unknown_cluster");
        assertError(sluice.admin("PATCH", "/api/v1/clusters/web/backends/127.0.0.1:1", "{\"weight\":2}"), 404, "unknown_backend");
        assertError(sluice.admin("DELETE", "/api/v1/clusters/web/backends/127.0.0.1:1"), 404, "unknown_backend");
        assertError(sluice.admin("GET", "/api/v1/nothing"), 404, "not_found");
    }

    @Test
    void shouldAnswer405WithAllowForWrongMethod() throws Exception {
        HttpResponse<String> r = sluice.admin("DELETE", "/api/v1/clusters");
        assertError(r, 405, "method_not_allowed");
        assertEquals("GET", r.headers().firstValue("Allow").orElseThrow());
        assertError(sluice.admin("GET", "/api/v1/reload"), 405, "method_not_allowed");
    }

    @Test
    void shouldAddBackendAndSendItTraffic() throws Exception {
        HttpResponse<String> r = sluice.admin("POST", "/api/v1/clusters/web/backends",
                "{\"address\":\"" + b.address() + "\",\"weight\":1}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(b.address().toString(), json(r).get("address").asText());
        boolean sawB = false;
        for (int i = 0; i < 8 && !sawB; i++) {
            sawB = "b".equals(sluice.proxy("/").body());
        }
        assertTrue(sawB, "the added backend should receive requests");
    }

    @Test
    void shouldRefuseDuplicateBackendWith409() throws Exception {
        assertError(sluice.admin("POST", "/api/v1/clusters/web/backends", "{\"address\":\"" + a.address() + "\"}"),
                409, "duplicate_backend");
    }

    @Test
    void shouldRefuseBadBodiesWith400() throws Exception {
        String path = "/api/v1/clusters/web/backends";
        assertError(sluice.admin("POST", path, "{\"address\":\"127.0.0.1:9\",\"colour\":1}"), 400, "bad_request");
        assertError(sluice.admin("POST", path, "{\"address\":\"127.0.0.1:9\",\"weight\":0}"), 400, "bad_request");
        assertError(sluice.admin("POST", path, "{\"address\":\"127.0.0.1:9\",\"weight\":\"2\"}"), 400, "bad_request");
        assertError(sluice.admin("POST", path, "{\"address\":\"not an address\"}"), 400, "bad_request");
        assertError(sluice.admin("POST", path, "{not json"), 400, "bad_request");
        assertError(sluice.admin("POST", path, null), 400, "bad_request");
        String backend = path + "/" + a.address();
        assertError(sluice.admin("PATCH", backend, "{\"state\":\"sleeping\"}"), 400, "bad_request");
        assertError(sluice.admin("PATCH", backend, "{}"), 400, "bad_request");
        assertError(sluice.admin("PUT", "/api/v1/clusters/web/balancer", "{\"balancer\":\"fastest\"}"), 400, "bad_request");
        assertError(sluice.admin("PUT", "/api/v1/clusters/web/balancer", "{\"balancer\":\"maglev\",\"hash_key\":\"header:\"}"),
                400, "bad_request");
    }

    @Test
    void shouldPatchWeightAndState() throws Exception {
        HttpResponse<String> r = sluice.admin("PATCH", "/api/v1/clusters/web/backends/" + a.address(),
                "{\"weight\":3,\"state\":\"draining\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode backend = json(sluice.admin("GET", "/api/v1/clusters/web")).get("backends").get(0);
        assertEquals(3, backend.get("weight").asInt());
        assertEquals("draining", backend.get("state").asText());
    }

    @Test
    void shouldDeleteBackendWith204() throws Exception {
        sluice.admin("POST", "/api/v1/clusters/web/backends", "{\"address\":\"" + b.address() + "\"}");
        HttpResponse<String> r = sluice.admin("DELETE", "/api/v1/clusters/web/backends/" + a.address());
        assertEquals(204, r.statusCode(), r.body());
        JsonNode backends = json(sluice.admin("GET", "/api/v1/clusters/web")).get("backends");
        assertEquals(1, backends.size());
        assertEquals(b.address().toString(), backends.get(0).get("address").asText());
        assertEquals("b", sluice.proxy("/").body());
    }

    @Test
    void shouldSwitchBalancerAndAnswerMaglevQuestions() throws Exception {
        assertError(sluice.admin("GET", "/api/v1/clusters/web/maglev"), 409, "not_maglev");
        HttpResponse<String> put = sluice.admin("PUT", "/api/v1/clusters/web/balancer",
                "{\"balancer\":\"maglev\",\"hash_key\":\"header:x-user\"}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("header:x-user", json(put).get("hash_key").asText());
        JsonNode table = json(sluice.admin("GET", "/api/v1/clusters/web/maglev"));
        assertEquals(65537, table.get("table_size").asInt());
        assertEquals(16, table.get("fingerprint").asText().length());
        assertEquals(table, json(sluice.admin("GET", "/api/v1/clusters/web/maglev")), "GET must not change the table");

        HttpResponse<String> same = sluice.admin("POST", "/api/v1/clusters/web/maglev/dry-run",
                "{\"backends\":[{\"address\":\"" + a.address() + "\",\"weight\":1}]}");
        assertEquals(200, same.statusCode(), same.body());
        assertEquals(0.0, json(same).get("moved_fraction").asDouble());
        HttpResponse<String> two = sluice.admin("POST", "/api/v1/clusters/web/maglev/dry-run",
                "{\"backends\":[{\"address\":\"" + a.address() + "\"},{\"address\":\"" + b.address() + "\"}]}");
        double moved = json(two).get("moved_fraction").asDouble();
        assertTrue(moved > 0.3 && moved < 0.7, "adding a second backend moves about half the slots: " + moved);
        assertEquals(1, json(sluice.admin("GET", "/api/v1/clusters/web")).get("backends").size(), "a dry run applies nothing");
    }

    @Test
    void shouldShowEffectiveConfigWithoutSecrets() throws Exception {
        JsonNode config = json(sluice.admin("GET", "/api/v1/config"));
        assertEquals("web", config.get("clusters").get(0).get("name").asText());
        assertEquals("5s", config.get("runtime").get("drain_timeout").asText());
        assertEquals(a.address().toString(), config.get("clusters").get(0).get("backends").get(0).get("address").asText());
    }

    @Test
    void shouldReportStatsWithPercentiles() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, sluice.proxy("/").statusCode());
        }
        JsonNode stats = json(sluice.admin("GET", "/api/v1/stats"));
        JsonNode listener = stats.get("listeners").get(0);
        assertEquals("public", listener.get("name").asText());
        assertEquals(5, listener.get("requests").asLong());
        assertEquals(5, listener.get("responses").get("2xx").asLong());
        assertTrue(listener.get("latency_ms").get("p99.9").asDouble() > 0);
        assertEquals(5, stats.get("clusters").get(0).get("requests").asLong());
    }
}
