package dev.sluice.policy;

import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives one loop's filter with an injected clock, so every header value is exact. */
class RateAndQuotaTest {

    static final String POLICY = """
            plans:
              burst3: { rate: 1/s, burst: 3 }
              daily: { quota: 2/day }
              both: { rate: 10/s, burst: 10, quota: 5/hour }
            apis:
              - name: orders
                match: { path_prefix: /orders/ }
            """;
    /** 2026-11-28T23:59:30Z: 30 s before a day, hour and minute end. */
    static final long NOW = Instant.parse("2026-11-28T23:59:30Z").toEpochMilli();

    @TempDir
    Path store;
    final FakeClock clock = new FakeClock(NOW);
    PolicyFilterFactory factory;
    HttpFilter filter;

    void open() {
        factory = PolicyFilterFactory.open(PolicyHarness.readValid("store: " + store + "\n" + POLICY), clock);
        filter = factory.newFilter(null);
    }

    @AfterEach
    void close() {
        if (factory != null) {
            factory.close();
        }
    }

    String key(String consumer, String plan) {
        return PolicyHarness.json(factory.adminEndpoints().get(0).handle("POST", "/api/v1/consumers",
                "{\"name\":\"" + consumer + "\",\"plan\":\"" + plan + "\"}").jsonBody()).get("key").asText();
    }

    /** One exchange of a request arriving now: the request, then (when admitted) a 200 response head and completion. */
    FakeContext call(String key) {
        return call(key, new FakeContext(clock));
    }

    /** {@link #call(String)} for a request whose arrival {@code ctx} gives. */
    FakeContext call(String key, FakeContext ctx) {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/orders/1");
        req.headers().set("x-api-key", key);
        FilterResult result = filter.onRequestHead(ctx, req);
        assertEquals(ctx.status == null ? FilterResult.CONTINUE : FilterResult.RESPONDED, result);
        if (ctx.status == null) {
            FullHttpResponse head = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            filter.onResponseHead(ctx, head);
            ctx.headers = new DefaultHttpHeaders(); // as text: the filter may reuse a value after onComplete
            head.headers().forEach(e -> ctx.headers.add(e.getKey(), e.getValue()));
            filter.onComplete(ctx);
            assertNull(ctx.attachment);
        }
        return ctx;
    }

    @Test
    void shouldAdmitTheBurstThenAnswer429WithRetryAfterAndRateLimitFields() {
        open();
        String key = key("acme", "burst3");
        FakeContext first = call(key);
        assertNull(first.status);
        assertEquals("\"rate\";q=1;w=1", first.headers.get("RateLimit-Policy"));
        assertEquals("\"rate\";r=2;t=1", first.headers.get("RateLimit"));
        assertEquals("\"rate\";r=1;t=2", call(key).headers.get("RateLimit"));
        assertEquals("\"rate\";r=0;t=3", call(key).headers.get("RateLimit"));
        FakeContext limited = call(key);
        assertEquals(HttpResponseStatus.TOO_MANY_REQUESTS, limited.status);
        assertEquals("rate_limited", PolicyHarness.json(limited.body).get("error").asText());
        assertEquals("1", limited.headers.get("Retry-After"));
        assertEquals("\"rate\";q=1;w=1", limited.headers.get("RateLimit-Policy"));
        assertEquals("\"rate\";r=0;t=3", limited.headers.get("RateLimit"));
        clock.advanceMillis(1000);
        assertNull(call(key).status);
        assertEquals(HttpResponseStatus.TOO_MANY_REQUESTS, call(key).status);
    }

    @Test
    void shouldRefillTheBucketAtTheRate() {
        open();
        String key = key("acme", "burst3");
        for (int i = 0; i < 3; i++) {
            assertNull(call(key).status);
        }
        clock.advanceMillis(2500);
        assertNull(call(key).status);
        assertNull(call(key).status);
        assertEquals(HttpResponseStatus.TOO_MANY_REQUESTS, call(key).status);
    }

    @Test
    void shouldAnswerQuotaExceededUntilTheCalendarPeriodEnds() {
        open();
        String key = key("acme", "daily");
        assertEquals("\"quota\";r=1;t=30", call(key).headers.get("RateLimit"));
        assertEquals("\"quota\";r=0;t=30", call(key).headers.get("RateLimit"));
        FakeContext over = call(key);
        assertEquals(HttpResponseStatus.TOO_MANY_REQUESTS, over.status);
        assertEquals("quota_exceeded", PolicyHarness.json(over.body).get("error").asText());
        assertEquals("30", over.headers.get("Retry-After"));
        assertEquals("\"quota\";q=2;w=86400", over.headers.get("RateLimit-Policy"));
        clock.advanceMillis(29_999);
        assertEquals("1", call(key).headers.get("Retry-After"));
        clock.advanceMillis(1);
        assertNull(call(key).status, "a new UTC day starts a new quota");
        var usage = PolicyHarness.json(factory.adminEndpoints().get(0).handle("GET", "/api/v1/consumers/acme", null)
                .jsonBody()).get("usage");
        assertEquals(1, usage.get("quota_used").asLong());
        assertEquals(2, usage.get("quota_limit").asLong());
        assertEquals("2026-11-30T00:00:00Z", usage.get("resets_at").asText());
    }

    @Test
    void shouldCountBothPoliciesInOneRateLimitField() {
        open();
        String key = key("acme", "both");
        FakeContext ok = call(key);
        assertEquals("\"rate\";q=10;w=1, \"quota\";q=5;w=3600", ok.headers.get("RateLimit-Policy"));
        assertEquals("\"rate\";r=9;t=1, \"quota\";r=4;t=30", ok.headers.get("RateLimit"));
    }

    @Test
    void shouldApplyAPlanChangeToTheNextRequest() {
        open();
        String key = key("acme", "daily");
        call(key);
        call(key);
        assertEquals(HttpResponseStatus.TOO_MANY_REQUESTS, call(key).status);
        var patched = factory.adminEndpoints().get(0).handle("PATCH", "/api/v1/consumers/acme", "{\"plan\":\"both\"}");
        assertEquals(200, patched.status());
        assertEquals("both", PolicyHarness.json(patched.jsonBody()).get("plan").asText());
        assertNull(call(key).status);
    }

    @Test
    void shouldMeasureARequestAtTheTimeItsHeadArrivedNotWhenTheFilterRuns() {
        open();
        String key = key("acme", "burst3");
        for (int i = 0; i < 3; i++) {
            assertNull(call(key).status);
        }
        FakeContext arrivedEmpty = new FakeContext(clock); // the head arrived while the bucket was empty
        clock.advanceMillis(1000); // a token has come since, by the clock the policy was opened with
        FakeContext limited = call(key, arrivedEmpty);
        assertEquals(HttpResponseStatus.TOO_MANY_REQUESTS, limited.status, "judged at the data plane's reading");
        assertEquals("1", limited.headers.get("Retry-After"));
        FakeContext later = call(key);
        assertNull(later.status, "a request arriving after the refill is admitted");
        assertEquals("\"rate\";r=0;t=3", later.headers.get("RateLimit"));
    }

    @Test
    void shouldNotSpendQuotaOnRateLimitedRequests() {
        open();
        String key = key("acme", "both");
        for (int i = 0; i < 5; i++) {
            assertNull(call(key).status);
        }
        assertEquals("quota_exceeded", PolicyHarness.json(call(key).body).get("error").asText());
        assertTrue(factory.adminEndpoints().get(0).handle("GET", "/api/v1/consumers/acme", null).jsonBody()
                .contains("\"quota_used\":5"));
    }

    /** Two requests an hour in a burst, for /orders/: the third request through the proxy is refused. */
    private static final String TINY_ORDERS = """
            plans:
              tiny: { rate: 1/h, burst: 2 }
            apis:
              - name: orders
                match: { path_prefix: /orders/ }
            """;

    @Test
    void shouldReturn429ThroughTheProxyWithRetryAfter() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, TINY_ORDERS, "web")) {
            String key = h.createConsumer("acme", "tiny").get("key").asText();
            RawHttpClient.Response ok = h.get("/orders/1", "x-api-key: " + key);
            assertEquals(200, ok.status());
            assertEquals("\"rate\";q=1;w=3600", ok.header("RateLimit-Policy"));
            assertTrue(ok.header("RateLimit").startsWith("\"rate\";r=1;t="), ok.header("RateLimit"));
            assertEquals(200, h.get("/orders/1", "x-api-key: " + key).status());
            RawHttpClient.Response limited = h.get("/orders/1", "x-api-key: " + key);
            assertEquals(429, limited.status());
            assertTrue(Long.parseLong(limited.header("Retry-After")) > 3500, limited.header("Retry-After"));
            assertEquals("rate_limited", PolicyHarness.json(limited.bodyText()).get("error").asText());
            assertEquals(2, h.backend("web").received().size());
        }
    }

    @Test
    void shouldReplaceABackendsOwnRateLimitFieldsWithThePolicys() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, TINY_ORDERS, "web")) {
            h.backend("web").setResponder((request, ctx) -> {
                FullHttpResponse r = TestBackend.text(HttpResponseStatus.OK, "ok");
                r.headers().add("RateLimit", "\"backend\";r=99;t=1").add("ratelimit", "\"other\";r=98;t=1")
                        .add("RATELIMIT-POLICY", "\"backend\";q=100;w=1").add("X-Backend", "kept");
                ctx.writeAndFlush(r);
            });
            String key = h.createConsumer("acme", "tiny").get("key").asText();
            RawHttpClient.Response ok = h.get("/orders/1", "x-api-key: " + key);
            assertEquals(200, ok.status());
            assertEquals(List.of("\"rate\";q=1;w=3600"), values(ok, "RateLimit-Policy"));
            List<String> rateLimit = values(ok, "RateLimit");
            assertEquals(1, rateLimit.size(), ok.headers().toString());
            assertTrue(rateLimit.get(0).startsWith("\"rate\";r=1;t="), rateLimit.get(0));
            assertEquals("kept", ok.header("X-Backend"));
            assertEquals("ok", ok.bodyText());
        }
    }

    private static List<String> values(RawHttpClient.Response r, String name) {
        return r.headers().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue()).toList();
    }
}
