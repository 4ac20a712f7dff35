package dev.sluice.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a cluster's optional {@code health_check:}, {@code outlier_detection:} and {@code retries:} sections.
 * An absent section reads as {@code null} (off); a present one takes the defaults for the keys it leaves out.
 * Stateless; problems go to the section's {@link ConfigProblems}.
 */
final class ClusterPoliciesReader {

    static final List<String> HEALTH_KEYS = List.of("type", "path", "interval", "timeout", "rise", "fall", "host",
            "expected_statuses");
    static final List<String> OUTLIER_KEYS = List.of("consecutive_failures", "base_ejection", "max_ejection_percent");
    static final List<String> RETRY_KEYS = List.of("attempts", "on", "budget_percent");
    static final List<String> RETRY_CONDITIONS = List.of("connect_failure", "reset", "timeout");
    static final int MAX_RETRY_ATTEMPTS = 10;

    private static final List<String> HEALTH_TYPES = List.of("http", "tcp");
    private static final List<String> HTTP_ONLY_KEYS = List.of("path", "host", "expected_statuses");

    private ClusterPoliciesReader() {
    }

    /** The health check: type http, path /healthz, interval 2s, timeout 1s, rise 2, fall 3 unless set. */
    static HealthCheckConfig healthCheck(MappingReader s) {
        if (s == null) {
            return null;
        }
        ConfigProblems problems = s.problems();
        String type = s.text("type", "http");
        if (!HEALTH_TYPES.contains(type)) {
            problems.at(s.value("type"), "unknown health check type '" + type + "': expected http or tcp");
            type = "http";
        }
        if (type.equals("tcp")) {
            for (String key : HTTP_ONLY_KEYS) {
                if (s.has(key)) {
                    problems.at(s.node().keyNode(key), key + " applies to http health checks only, not tcp");
                }
            }
        }
        String path = s.text("path", "/healthz");
        if (!path.startsWith("/") || ConfigSyntax.hasSpaceOrControl(path)) {
            problems.at(s.value("path"), "bad path '" + path
                    + "': expected a path that starts with '/' and has no spaces");
        }
        Duration interval = s.duration("interval", Duration.ofSeconds(2), true);
        Duration timeout = s.duration("timeout", Duration.ofSeconds(1), true);
        if (timeout.compareTo(interval) >= 0) {
            ConfigNode at = s.has("timeout") ? s.value("timeout") : s.value("interval");
            problems.at(at, "health check timeout " + shown(s, "timeout", "1s") + " must be shorter than its interval "
                    + shown(s, "interval", "2s"));
        }
        int rise = s.intNumber("rise", 2, 1, Integer.MAX_VALUE);
        int fall = s.intNumber("fall", 3, 1, Integer.MAX_VALUE);
        String host = hostHeader(s);
        return new HealthCheckConfig(type, path, interval, timeout, rise, fall, host, expectedStatuses(s));
    }

    private static String shown(MappingReader s, String key, String fallback) {
        String text = MappingReader.peekText(s.node(), key); // peek: a bad value was reported already
        return text == null ? fallback : text.trim();
    }

    /** The {@code host} to send as the Host header: a host name, optionally with {@code :port}. */
    private static String hostHeader(MappingReader s) {
        String host = s.text("host", null);
        if (host == null) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        boolean portOk = colon < 0 || host.substring(colon + 1).matches("\\d{1,5}");
        if (!portOk || !ConfigSyntax.isHostName(name)) {
            s.problems().at(s.value("host"), "bad host '" + host + "': expected a host name, optionally with :port,"
                    + " such as app.example.com");
            return null;
        }
        return host;
    }

    private static List<Integer> expectedStatuses(MappingReader s) {
        List<ConfigNode> items = s.list("expected_statuses");
        List<Integer> statuses = new ArrayList<>();
        if (items == null) {
            return statuses;
        }
        for (ConfigNode item : items) {
            String text = item.kind() == ConfigNode.Kind.SCALAR ? item.text().trim() : null;
            if (text == null || !text.matches("\\d{3}")) {
                s.problems().at(item, "bad status " + MappingReader.describe(item)
                        + " in expected_statuses: expected a number 100..599");
            } else if (Integer.parseInt(text) < 100 || Integer.parseInt(text) > 599) {
                s.problems().at(item, "status " + text + " in expected_statuses is out of range: expected 100..599");
            } else {
                statuses.add(Integer.parseInt(text));
            }
        }
        return statuses;
    }

    /** Outlier detection with the defaults of {@link OutlierConfig#defaults()} for keys left out. */
    static OutlierConfig outlier(MappingReader s) {
        if (s == null) {
            return null;
        }
        OutlierConfig d = OutlierConfig.defaults();
        return new OutlierConfig(
                s.intNumber("consecutive_failures", d.consecutiveFailures(), 1, Integer.MAX_VALUE),
                s.duration("base_ejection", d.baseEjection(), true),
                s.intNumber("max_ejection_percent", d.maxEjectionPercent(), 0, 100));
    }

    /** Retries with the defaults of {@link RetryConfig#defaults()} for keys left out. */
    static RetryConfig retries(MappingReader s) {
        if (s == null) {
            return null;
        }
        RetryConfig d = RetryConfig.defaults();
        int attempts = s.intNumber("attempts", d.attempts(), 0, MAX_RETRY_ATTEMPTS);
        List<ConfigNode> items = s.list("on");
        Set<String> on = items == null ? d.on() : retryConditions(s.problems(), items);
        int budget = s.intNumber("budget_percent", d.budgetPercent(), 0, 100);
        return new RetryConfig(attempts, on, budget);
    }

    /**
     * Conditions named in {@code on:}: connect_failure, reset, timeout, or a 5xx status written as a number or text
     * (kept as its decimal text, e.g. {@code "503"}).
     */
    private static Set<String> retryConditions(ConfigProblems problems, List<ConfigNode> items) {
        Set<String> on = new LinkedHashSet<>();
        for (ConfigNode item : items) {
            String text = item.kind() == ConfigNode.Kind.SCALAR ? item.text().trim() : null;
            if (text != null && RETRY_CONDITIONS.contains(text)) {
                on.add(text);
            } else if (text != null && text.matches("\\d{1,9}")) {
                int status = Integer.parseInt(text);
                if (status >= 500 && status <= 599) {
                    on.add(Integer.toString(status));
                } else {
                    problems.at(item, "retry status " + status + " is out of range: expected 500..599");
                }
            } else {
                String hint = text == null ? "" : DidYouMean.hint(text, RETRY_CONDITIONS);
                problems.at(item, "unknown retry condition " + MappingReader.describe(item)
                        + ": expected connect_failure, reset, timeout or a status 500..599" + hint);
            }
        }
        return on;
    }
}
