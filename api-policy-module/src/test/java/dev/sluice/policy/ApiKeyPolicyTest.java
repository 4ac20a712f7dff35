package dev.sluice.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyPolicyTest {

    static final String POLICY = """
            plans:
              gold: { rate: 1000/s, burst: 1000, quota: 1000000/day }
            consumers:
              - { name: configured, plan: gold, key_sha256: "%s" }
            apis:
              - name: orders
                match: { path_prefix: /orders/ }
                auth: api_key
              - name: public
                match: { path_prefix: /public/ }
                auth: none
            """;
    static final String CONFIG_KEY = "sk_configured-consumer-key-for-tests";

    @TempDir
    Path store;

    static String policy() throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(CONFIG_KEY.getBytes(StandardCharsets.US_ASCII));
        return POLICY.formatted(HexFormat.of().formatHex(h));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswer401WithoutReachingTheBackendWhenTheKeyIsMissingOrUnknown(String transport, int loops)
            throws Exception {
        try (PolicyHarness h = PolicyHarness.start(transport, loops, store, policy(), "web")) {
            for (RawHttpClient.Response r : new RawHttpClient.Response[] {h.get("/orders/1"),
                    h.get("/orders/1", "x-api-key: sk_wrong"), h.get("/orders/1", "Authorization: Bearer sk_wrong"),
                    h.get("/orders/1", "Authorization: Basic Zm9vOmJhcg==")}) {
                assertEquals(401, r.status());
                assertEquals("Bearer realm=\"orders\"", r.header("WWW-Authenticate"));
                assertEquals("unauthorized", PolicyHarness.json(r.bodyText()).get("error").asText());
            }
            assertEquals(0, h.backend("web").received().size());
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldForwardWithTheConsumerNameAndWithoutTheKey(String transport, int loops) throws Exception {
        try (PolicyHarness h = PolicyHarness.start(transport, loops, store, policy(), "web")) {
            String key = h.createConsumer("acme", "gold").get("key").asText();
            assertEquals(200, h.get("/orders/1", "x-api-key: " + key, "X-Consumer: spoofed").status());
            assertEquals(200, h.get("/orders/2", "Authorization: Bearer " + key).status());
            assertEquals(200, h.get("/orders/3", "X-API-Key: " + CONFIG_KEY).status());
            var seen = h.backend("web").received();
            assertEquals(3, seen.size());
            for (TestBackend.RecordedRequest r : seen) {
                assertNull(r.header("x-api-key"));
                assertNull(r.header("authorization"));
                assertEquals(1, r.headerCount("x-consumer"));
                assertFalse(r.headers().toString().contains(key));
                assertFalse(r.headers().toString().contains(CONFIG_KEY));
            }
            assertEquals("acme", seen.get(0).header("x-consumer"));
            assertEquals("acme", seen.get(1).header("x-consumer"));
            assertEquals("configured", seen.get(2).header("x-consumer"));
        }
    }

    @Test
    void shouldPassRequestsOutsideTheApisAndOpenApisWithoutAKey() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, policy(), "web")) {
            assertEquals(200, h.get("/other").status());
            assertEquals(200, h.get("/public/x", "X-Consumer: spoofed", "x-api-key: sk_whatever").status());
            TestBackend.RecordedRequest r = h.backend("web").received().get(1);
            assertNull(r.header("x-consumer"));
            assertNull(r.header("x-api-key"));
        }
    }

    @Test
    void shouldNotLetAClientsOwnConsumerFieldSelectAnApi() throws Exception {
        String policy = """
                plans:
                  gold: { rate: 1000/s }
                apis:
                  - name: internal
                    match: { path_prefix: /internal/, headers: { x-consumer: admin } }
                    auth: api_key
                """;
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, policy, "web")) {
            assertEquals(200, h.get("/internal/x", "X-Consumer: admin").status(), "the api must not match");
            assertNull(h.backend("web").received().get(0).header("x-consumer"));
        }
    }

    @Test
    void shouldKeepOldKeysWorkingAfterRotationUntilTheyAreRevoked() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, policy(), "web")) {
            JsonNode first = h.createConsumer("acme", "gold");
            var second = h.admin("POST", "/api/v1/consumers/acme/keys", null);
            assertEquals(201, second.status());
            String secondKey = PolicyHarness.json(second.jsonBody()).get("key").asText();
            assertNotEquals(first.get("key").asText(), secondKey);
            assertEquals(200, h.get("/orders/1", "x-api-key: " + first.get("key").asText()).status());
            assertEquals(200, h.get("/orders/1", "x-api-key: " + secondKey).status());

            var revoked = h.admin("DELETE", "/api/v1/consumers/acme/keys/" + first.get("key_id").asText(), null);
            assertEquals(204, revoked.status());
            assertNull(revoked.jsonBody());
            assertEquals(401, h.get("/orders/1", "x-api-key: " + first.get("key").asText()).status());
            assertEquals(200, h.get("/orders/1", "x-api-key: " + secondKey).status());
        }
    }

    @Test
    void shouldRefuseARevokedKeyOnAKeepAliveConnectionAtItsNextRequest() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, policy(), "web");
             RawHttpClient c = h.proxy.client()) {
            JsonNode created = h.createConsumer("acme", "gold");
            String key = created.get("key").asText();
            assertEquals(200, PolicyHarness.send(c, "/orders/1", "x-api-key: " + key).status());
            h.admin("DELETE", "/api/v1/consumers/acme/keys/" + created.get("key_id").asText(), null);
            assertEquals(401, PolicyHarness.send(c, "/orders/2", "x-api-key: " + key).status());
            assertEquals(1, h.backend("web").received().size());
        }
    }

    @Test
    void shouldLetAnAdmittedRequestFinishWhenItsKeyIsRevokedInFlight() throws Exception {
        java.util.concurrent.CompletableFuture<io.netty.channel.ChannelHandlerContext> held =
                new java.util.concurrent.CompletableFuture<>();
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, policy(), "web");
             RawHttpClient slow = h.proxy.client()) {
            h.backend("web").setResponder((req, ctx) -> held.complete(ctx)); // answers only when told
            JsonNode created = h.createConsumer("acme", "gold");
            String key = created.get("key").asText();
            slow.send("GET /orders/slow HTTP/1.1\r\nHost: test\r\nx-api-key: " + key + "\r\n\r\n");
            io.netty.channel.ChannelHandlerContext backendSide = held.get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(204, h.admin("DELETE", "/api/v1/consumers/acme/keys/" + created.get("key_id").asText(),
                    null).status());
            assertEquals(401, h.get("/orders/next", "x-api-key: " + key).status());

            backendSide.writeAndFlush(TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "done"));
            RawHttpClient.Response finished = slow.readResponse(false);
            assertEquals(200, finished.status());
            assertEquals("done", finished.bodyText());
            assertEquals(1, h.backend("web").received().size());
        }
    }

    @Test
    void shouldNeverWriteKeysToTheLog() throws Exception {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream both = new java.io.PrintStream(captured, true, StandardCharsets.UTF_8);
        String key;
        System.setOut(both);
        System.setErr(both);
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, policy(), "web")) {
            key = h.createConsumer("acme", "gold").get("key").asText();
            h.get("/orders/1", "x-api-key: " + key);
            h.get("/orders/1", "Authorization: Bearer " + key);
            h.get("/orders/1", "x-api-key: " + key + "x");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("accepting on"), "the log was not captured: " + log);
        assertFalse(log.contains(key.substring(3)), "a key reached the log");
    }
}
