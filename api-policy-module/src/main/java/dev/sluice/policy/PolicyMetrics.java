package dev.sluice.policy;

import java.util.Collection;
import java.util.List;

/**
 * Writes the policy's counters in the Prometheus text format (0.0.4), with HELP and TYPE lines. Runs on the
 * admin thread; reads the lock-free counters without stopping the loops.
 */
final class PolicyMetrics {

    private PolicyMetrics() {
    }

    /** {@code loops}: every loop's admitted counts, added up per consumer. */
    static void write(StringBuilder out, Collection<Consumer> consumers, ApiRoute[] apis, List<LoopCounts> loops) {
        out.append("# HELP sluice_policy_requests_total Requests of known consumers by decision: allowed,"
                + " unauthorized (revoked key), rate_limited, quota_exceeded.\n");
        out.append("# TYPE sluice_policy_requests_total counter\n");
        for (Consumer c : consumers) {
            long allowed = 0;
            for (LoopCounts loop : loops) {
                allowed += loop.get(c.number());
            }
            line(out, c.name(), "allowed", allowed);
            line(out, c.name(), "unauthorized", c.unauthorized.sum());
            line(out, c.name(), "rate_limited", c.rateLimited.sum());
            line(out, c.name(), "quota_exceeded", c.quotaExceeded.sum());
        }
        out.append("# HELP sluice_policy_unauthorized_total Requests answered 401 (no, unknown or revoked key) by api.\n");
        out.append("# TYPE sluice_policy_unauthorized_total counter\n");
        for (ApiRoute api : apis) {
            out.append("sluice_policy_unauthorized_total{api=\"").append(escape(api.name)).append("\"} ")
                    .append(api.unauthorized.sum()).append('\n');
        }
    }

    private static void line(StringBuilder out, String consumer, String decision, long value) {
        out.append("sluice_policy_requests_total{consumer=\"").append(escape(consumer)).append("\",decision=\"")
                .append(decision).append("\"} ").append(value).append('\n');
    }

    /** Label values escape backslash, quote and newline (consumer names cannot hold them; api names can). */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
