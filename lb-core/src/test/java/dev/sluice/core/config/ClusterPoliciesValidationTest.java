package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.sluice.core.config.TestConfigs.errors;
import static dev.sluice.core.config.TestConfigs.parse;
import static dev.sluice.core.config.TestConfigs.webClusterWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cluster lines added by {@link TestConfigs#webClusterWith} start on line 10 and are indented by 4 more. */
class ClusterPoliciesValidationTest {

    @Test
    void shouldRequireRiseAndFallOfAtLeastOne() {
        assertEquals(List.of(
                "test.yaml:11:13: rise 0 is out of range: expected 1..2147483647",
                "test.yaml:12:13: fall 0 is out of range: expected 1..2147483647"),
                errors(webClusterWith("health_check:\n  rise: 0\n  fall: 0")));
    }

    @Test
    void shouldAcceptOnlyHttpAndTcpHealthChecks() {
        assertEquals(List.of("test.yaml:11:13: unknown health check type 'grpc': expected http or tcp"),
                errors(webClusterWith("health_check:\n  type: grpc")));
    }

    @Test
    void shouldRequireAHealthCheckTimeoutShorterThanItsInterval() {
        assertEquals(List.of("test.yaml:12:16: health check timeout 2s must be shorter than its interval 2s"),
                errors(webClusterWith("health_check:\n  interval: 2s\n  timeout: 2s")));
        assertEquals(List.of("test.yaml:11:17: health check timeout 1s must be shorter than its interval 500ms"),
                errors(webClusterWith("health_check:\n  interval: 500ms")));
    }

    @Test
    void shouldRejectHttpOnlyKeysOnATcpHealthCheck() throws ConfigException {
        assertEquals(List.of("test.yaml:12:7: path applies to http health checks only, not tcp"),
                errors(webClusterWith("health_check:\n  type: tcp\n  path: /ready")));
        assertEquals("tcp", parse(webClusterWith("health_check: { type: tcp }")).cluster("web").healthCheck().type());
    }

    @Test
    void shouldRejectBadHealthCheckPathHostAndStatuses() {
        assertEquals(List.of(
                "test.yaml:11:13: bad path 'ready': expected a path that starts with '/' and has no spaces",
                "test.yaml:12:13: bad host 'app internal': expected a host name, optionally with :port, such as"
                        + " app.example.com",
                "test.yaml:13:32: bad status 'ok' in expected_statuses: expected a number 100..599",
                "test.yaml:13:36: status 700 in expected_statuses is out of range: expected 100..599"),
                errors(webClusterWith("""
                        health_check:
                          path: ready
                          host: app internal
                          expected_statuses: [200, ok, 700]
                        """)));
    }

    @Test
    void shouldAcceptRetryConditionsAndStatusesAsTextOrNumbers() throws ConfigException {
        RetryConfig retries = parse(webClusterWith("retries: { on: [timeout, 502, \"503\"] }")).cluster("web").retries();
        assertEquals(Set.of("timeout", "502", "503"), retries.on());
    }

    @Test
    void shouldRejectUnknownRetryConditionsAndNon5xxStatuses() {
        assertEquals(List.of(
                "test.yaml:10:38: unknown retry condition 'rest': expected connect_failure, reset, timeout or a status"
                        + " 500..599 (did you mean 'reset'?)",
                "test.yaml:10:44: retry status 404 is out of range: expected 500..599"),
                errors(webClusterWith("retries: { on: [connect_failure, rest, 404] }")));
    }

    @Test
    void shouldRejectRetryConditionsThatAreNotAList() {
        assertEquals(List.of("test.yaml:10:20: 'on' in the retries of cluster 'web' must be a list, found 'reset'"),
                errors(webClusterWith("retries: { on: reset }")));
    }

    @Test
    void shouldBoundRetryAttemptsAndPercentages() {
        assertEquals(List.of(
                "test.yaml:11:17: attempts 11 is out of range: expected 0..10",
                "test.yaml:12:23: budget_percent 101 is out of range: expected 0..100",
                "test.yaml:14:29: consecutive_failures 0 is out of range: expected 1..2147483647",
                "test.yaml:15:29: max_ejection_percent 150 is out of range: expected 0..100"),
                errors(webClusterWith("""
                        retries:
                          attempts: 11
                          budget_percent: 101
                        outlier_detection:
                          consecutive_failures: 0
                          max_ejection_percent: 150
                        """)));
    }

    @Test
    void shouldReadOutlierDetectionValues() throws ConfigException {
        assertEquals(new OutlierConfig(3, Duration.ofMinutes(1), 0), parse(webClusterWith(
                "outlier_detection: { consecutive_failures: 3, base_ejection: 1m, max_ejection_percent: 0 }"))
                .cluster("web").outlierDetection());
    }
}
