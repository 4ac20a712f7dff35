package dev.sluice.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.RawHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersioningPolicyTest {

    static final String POLICY = """
            plans:
              gold: { rate: 1000/s, burst: 1000 }
            apis:
              - name: orders
                match: { path_prefix: /orders/ }
                auth: none
                versions:
                  from: path
                  default: v2
                  clusters: { v1: orders-v1, v2: orders-v2 }
                  deprecated: { v1: 2027-06-30 }
              - name: by-header
                match: { path_prefix: /h/ }
                auth: none
                versions:
                  from: header:API-Version
                  default: v2
                  clusters: { v1: orders-v1, v2: orders-v2 }
                  deprecated: { v1: { deprecation: 2026-01-01, sunset: 2027-06-30 } }
              - name: by-accept
                match: { path_prefix: /a/ }
                auth: none
                versions:
                  from: accept
                  clusters: { v1: orders-v1, v2: orders-v2 }
            """;

    @TempDir
    Path store;

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldRouteByPathVersionAndRemoveItBeforeForwarding(String transport, int loops) throws Exception {
        try (PolicyHarness h = PolicyHarness.start(transport, loops, store, POLICY, "web", "orders-v1", "orders-v2")) {
            RawHttpClient.Response v1 = h.get("/v1/orders/7?x=1");
            assertEquals("orders-v1", v1.bodyText());
            assertEquals("/orders/7?x=1", h.backend("orders-v1").received().get(0).uri());
            assertEquals("orders-v2", h.get("/v2/orders/8").bodyText());
            assertEquals("/orders/8", h.backend("orders-v2").received().get(0).uri());
            assertEquals("orders-v2", h.get("/orders/9").bodyText());
            assertEquals("/orders/9", h.backend("orders-v2").received().get(1).uri());
            assertEquals("web", h.get("/v1/other").bodyText());
        }
    }

    @Test
    void shouldMarkDeprecatedVersionsWithDeprecationAndSunset() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, POLICY, "web", "orders-v1", "orders-v2")) {
            RawHttpClient.Response v1 = h.get("/v1/orders/7");
            assertEquals(200, v1.status());
            assertEquals("@1814313600", v1.header("Deprecation")); // 2027-06-30T00:00:00Z
            assertEquals("Wed, 30 Jun 2027 00:00:00 GMT", v1.header("Sunset"));
            RawHttpClient.Response v2 = h.get("/v2/orders/7");
            assertNull(v2.header("Deprecation"));
            assertNull(v2.header("Sunset"));
            RawHttpClient.Response byHeader = h.get("/h/x", "API-Version: v1");
            assertEquals("@1767225600", byHeader.header("Deprecation")); // 2026-01-01T00:00:00Z
            assertEquals("Wed, 30 Jun 2027 00:00:00 GMT", byHeader.header("Sunset"));
        }
    }

    @Test
    void shouldAnswer400NamingTheSupportedVersionsForAnUnknownOne() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, POLICY, "web", "orders-v1", "orders-v2")) {
            for (RawHttpClient.Response r : new RawHttpClient.Response[] {h.get("/v9/orders/1"),
                    h.get("/h/1", "API-Version: v3"), h.get("/a/1", "Accept: application/vnd.orders.v7+json"),
                    h.get("/a/1")}) {
                assertEquals(400, r.status());
                JsonNode body = PolicyHarness.json(r.bodyText());
                assertEquals("unknown_api_version", body.get("error").asText());
                assertTrue(body.get("message").asText().contains("v1, v2"), body.toString());
                assertEquals("[\"v1\",\"v2\"]", body.get("supported").toString());
            }
            assertTrue(PolicyHarness.json(h.get("/v9/orders/1").bodyText()).get("message").asText().contains("'v9'"));
            assertEquals(0, h.backend("orders-v1").received().size() + h.backend("orders-v2").received().size());
        }
    }

    @Test
    void shouldRouteByHeaderAndByAcceptMediaType() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, POLICY, "web", "orders-v1", "orders-v2")) {
            assertEquals("orders-v1", h.get("/h/1", "api-version: v1").bodyText());
            assertEquals("orders-v2", h.get("/h/1").bodyText());
            assertEquals("orders-v1", h.get("/a/1", "Accept: application/vnd.orders.v1+json").bodyText());
            assertEquals("orders-v2",
                    h.get("/a/1", "Accept: text/html, application/vnd.orders.v2+json;q=0.9").bodyText());
            assertEquals("/a/1", h.backend("orders-v2").received().get(1).uri());
        }
    }
}
