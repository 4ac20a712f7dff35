package dev.sluice.policy;

import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.policy.config.QuotaPeriod;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The per-request core of the policy (key lookup, which after the first request comes from the loop's key cache;
 * bucket; quota) allocates nothing in steady state, and neither does a whole admitted exchange through the filter
 * beyond the entries Netty's header map makes for the fields set. Measured with the JVM's per-thread allocation
 * counter; the timing printed is a rough figure, not an assertion.
 */
class AdmissionCostTest {

    private static final AsciiString KEY_HEADER = AsciiString.cached("x-api-key");
    private static final AsciiString CONSUMER = AsciiString.cached("acme");

    @TempDir
    Path store;

    @Test
    void shouldNotAllocateWhenLookingUpAKeyTakingATokenAndReservingQuota() {
        String key = ApiKeys.newKey();
        try (PolicyStore s = PolicyStore.open(store)) {
            Consumer acme = new Consumer("acme", 0, false, Consumer.Limits.of(null), List.of(), 0,
                    s.quotaCounter("acme"));
            List<KeyIndex.Entry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                entries.add(new KeyIndex.Entry(ApiKeys.sha256(ApiKeys.newKey()), acme, "k" + i, false));
            }
            entries.add(new KeyIndex.Entry(ApiKeys.sha256(key), acme, "mine", false));
            KeyIndex index = new KeyIndex(entries);
            KeyHasher hasher = new KeyHasher();
            long now = System.currentTimeMillis();
            int rounds = 200_000;
            admit(hasher, index, key, acme, now, rounds); // warm up: compile the path
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            long start = System.nanoTime();
            int admitted = admit(hasher, index, key, acme, now, rounds);
            long nanos = System.nanoTime() - start;
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            System.out.printf("policy admission core: %d ns/op, %.3f B/op%n", nanos / rounds,
                    (double) allocated / rounds);
            assertEquals(rounds, admitted);
            assertEquals(0, allocated / rounds, allocated + " bytes over " + rounds + " admissions");
            assertSame(acme, hasher.find(index, "x-api-key " + key, 9, 10 + key.length()).consumer());
            assertNotNull(index.find(ApiKeys.sha256(key)));
        }
    }

    @Test
    void shouldAllocateNothingOfItsOwnPerAdmittedExchangeThroughTheFilter() {
        String policy = """
                store: %s
                plans:
                  unbounded: { rate: 1000000000/s, burst: 1000000000, quota: 68719476735/month }
                apis:
                  - name: orders
                    match: { path_prefix: /orders/ }
                """.formatted(store);
        PolicyFilterFactory factory = PolicyFilterFactory.open(PolicyHarness.readValid(policy), PolicyClock.SYSTEM);
        try {
            String key = PolicyHarness.json(factory.adminEndpoints().get(0).handle("POST", "/api/v1/consumers",
                    "{\"name\":\"acme\",\"plan\":\"unbounded\"}").jsonBody()).get("key").asText();
            HttpFilter filter = factory.newFilter(null);
            FakeContext ctx = new FakeContext(PolicyClock.SYSTEM);
            HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/orders/1");
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            int rounds = 100_000;
            exchanges(filter, ctx, req, head, key, rounds); // warm up: compile both paths
            headersOnly(req, head, key, rounds);
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            int admitted = exchanges(filter, ctx, req, head, key, rounds);
            long filterBytes = threads.getThreadAllocatedBytes(id) - before;
            before = threads.getThreadAllocatedBytes(id);
            headersOnly(req, head, key, rounds);
            long nettyBytes = threads.getThreadAllocatedBytes(id) - before;
            System.out.printf("policy filter exchange: %.3f B/op, Netty's header writes alone: %.3f B/op%n",
                    (double) filterBytes / rounds, (double) nettyBytes / rounds);
            assertEquals(rounds, admitted);
            assertEquals(0, (filterBytes - nettyBytes) / rounds, filterBytes + " bytes for " + rounds
                    + " exchanges, of which Netty's header entries " + nettyBytes);
        } finally {
            factory.close();
        }
    }

    /** Request head, response head, completion, with the key put back as a decoder would deliver it. */
    private static int exchanges(HttpFilter filter, FakeContext ctx, HttpRequest req, HttpResponse head, String key,
                                 int rounds) {
        int admitted = 0;
        for (int i = 0; i < rounds; i++) {
            req.headers().set(KEY_HEADER, key);
            if (filter.onRequestHead(ctx, req) == FilterResult.CONTINUE) {
                admitted++;
            }
            filter.onResponseHead(ctx, head);
            filter.onComplete(ctx);
        }
        return admitted;
    }

    /** The header writes of {@link #exchanges} without the policy: Netty allocates an entry per field set. */
    private static void headersOnly(HttpRequest req, HttpResponse head, String key, int rounds) {
        for (int i = 0; i < rounds; i++) {
            req.headers().set(KEY_HEADER, key);
            req.headers().remove(KEY_HEADER);
            req.headers().set(PolicyFilter.X_CONSUMER, CONSUMER);
            head.headers().set(RateLimitFields.POLICY, CONSUMER);
            head.headers().set(RateLimitFields.RATELIMIT, CONSUMER);
        }
    }

    private static int admit(KeyHasher hasher, KeyIndex index, String key, Consumer acme, long now, int rounds) {
        int admitted = 0;
        long interval = 1; // a bucket that refills every nanosecond never runs dry here
        for (int i = 0; i < rounds; i++) {
            KeyIndex.Entry e = hasher.find(index, key, 0, key.length());
            if (e != null && e.consumer().tryAcquireToken(System.nanoTime(), interval, 1_000_000) >= 0
                    && e.consumer().quota().tryReserve(Long.MAX_VALUE >>> 28, QuotaPeriod.DAY, now) > 0) {
                admitted++;
            }
        }
        return admitted;
    }
}
