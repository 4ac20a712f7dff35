package dev.sluice.admin;

import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics} is valid Prometheus text that the reference checker accepts. */
class AdminMetricsTest {

    private static final String PROMTOOL = "/usr/bin/promtool";

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;

    @Test
    void shouldExposeMetricsThatPromtoolAccepts() throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        String yaml = AdminFixture.yaml(dir.resolve("state"), "", "round_robin", a.address().toString())
                + "    outlier_detection: { consecutive_failures: 5, base_ejection: 30s, max_ejection_percent: 50 }\n";
        AdminFixture sluice = closer.use(AdminFixture.start(dir, yaml));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, sluice.proxy("/").statusCode());
        }
        HttpResponse<String> r = sluice.admin("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        String text = r.body();
        assertTrue(text.contains("sluice_listener_requests_total{listener=\"public\"} 3"), text);
        assertTrue(text.contains("sluice_cluster_responses_total{cluster=\"web\",class=\"2xx\"} 3"), text);
        assertTrue(text.contains("sluice_cluster_request_duration_seconds_count{cluster=\"web\"} 3"), text);
        assertTrue(text.contains("sluice_backend_healthy{cluster=\"web\",backend=\"" + a.address() + "\"} 1"), text);
        String backend = "{cluster=\"web\",backend=\"" + a.address() + "\"}";
        assertTrue(text.contains("sluice_backend_requests_total" + backend + " 3"), text);
        assertTrue(text.contains("sluice_backend_failures_total" + backend + " 0"), text);
        assertTrue(text.contains("sluice_backend_ejected" + backend + " 0"), text);
        assertTrue(text.contains("sluice_backend_ejections_total" + backend + " 0"), text);
        assertTrue(text.contains("sluice_cluster_ejections_refused_total{cluster=\"web\"} 0"), text);
        assertTrue(text.contains("sluice_info{transport="), text);
        assertTrue(text.contains("# TYPE jvm_gc_collection_seconds_total counter"), text);

        Process check = new ProcessBuilder(PROMTOOL, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = check.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, check.exitValue(), "promtool check metrics: " + verdict);
        assertEquals("", verdict.strip(), "promtool should have no complaints (lint included)");
    }
}
