package dev.sluice.policy;

import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.policy.config.QuotaPeriod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A quota is never exceeded: across loops, across a restart, and across a process killed mid-load. */
class QuotaDurabilityTest {

    static final String POLICY = """
            plans:
              limited: { quota: 500/month }
            apis:
              - name: orders
                match: { path_prefix: /orders/ }
            """;

    @TempDir
    Path store;

    @Test
    void shouldAdmitExactlyTheQuotaUnderConcurrentLoadOnEveryLoop() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, POLICY, "web")) {
            String key = h.createConsumer("acme", "limited").get("key").asText();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                clients.add(pool.submit(() -> {
                    // two connections per thread, so the kernel spreads them over the loops
                    try (RawHttpClient a = h.proxy.client(); RawHttpClient b = h.proxy.client()) {
                        for (int i = 0; i < 20; i++) {
                            for (RawHttpClient c : new RawHttpClient[] {a, b}) {
                                int status = PolicyHarness.send(c, "/orders/1", "x-api-key: " + key).status();
                                (status == 200 ? ok : refused).incrementAndGet();
                                assertTrue(status == 200 || status == 429, "status " + status);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(500, ok.get());
            assertEquals(300, refused.get());
            assertEquals(500, h.backend("web").received().size());
        }
    }

    @Test
    void shouldKeepKeysAndUsageAcrossARestart() throws Exception {
        String key;
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, POLICY, "web")) {
            key = h.createConsumer("acme", "limited").get("key").asText();
            for (int i = 0; i < 7; i++) {
                assertEquals(200, h.get("/orders/1", "x-api-key: " + key).status());
            }
        }
        try (PolicyHarness h = PolicyHarness.start("nio", 1, store, POLICY, "web")) {
            assertEquals(200, h.get("/orders/1", "x-api-key: " + key).status());
            var described = PolicyHarness.json(h.admin("GET", "/api/v1/consumers/acme", null).jsonBody());
            assertEquals(8, described.get("usage").get("quota_used").asLong());
            assertEquals("limited", described.get("plan").asText());
        }
    }

    @Test
    void shouldKeepKeysAndUsageAcrossAConfigReload() throws Exception {
        try (PolicyHarness h = PolicyHarness.start("nio", 3, store, POLICY, "web")) {
            String key = h.createConsumer("acme", "limited").get("key").asText();
            assertEquals(200, h.get("/orders/1", "x-api-key: " + key).status());
            PolicyFilterFactory before = h.factory();
            h.proxy.server().apply(h.proxy.server().config()); // opens the store again, then closes the old one
            assertTrue(before != h.factory());
            assertEquals(200, h.get("/orders/1", "x-api-key: " + key).status());
            var described = PolicyHarness.json(h.admin("GET", "/api/v1/consumers/acme", null).jsonBody());
            assertEquals(2, described.get("usage").get("quota_used").asLong());
        }
    }

    @Test
    void shouldNeverExceedTheQuotaWhenAProcessIsKilledMidLoad() throws Exception {
        long limit = 1_000_000_000L; // the child never reaches it: it is killed while still admitting
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(System.getProperty("policy.store.jvm.args").trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), QuotaChild.class.getName(),
                store.toString(), Long.toString(limit)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long admittedSeen = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null && admittedSeen < 20_000) {
                admittedSeen = Long.parseLong(line.trim());
            }
            assertNotNull(line, "the child stopped before it was killed");
            child.destroyForcibly(); // SIGKILL while its threads are reserving
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(store.resolve(PolicyStore.QUOTA_FILE)));

        try (PolicyStore reopened = PolicyStore.open(store)) {
            QuotaCounter counter = reopened.quotaCounter(QuotaChild.CONSUMER);
            long now = System.currentTimeMillis();
            long counted = counter.used(QuotaPeriod.DAY, now);
            // everything the child reported admitted was counted first (reserve-then-admit)
            assertTrue(counted >= admittedSeen, counted + " counted < " + admittedSeen + " admitted");
            // with a quota just above the count, exactly the difference is still admitted, never more
            long quota = counted + 100;
            int more = 0;
            while (counter.tryReserve(quota, QuotaPeriod.DAY, now) > 0) {
                more++;
            }
            assertEquals(100, more);
            assertEquals(quota, counter.used(QuotaPeriod.DAY, now));
        }
    }
}
