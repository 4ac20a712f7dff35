package dev.sluice.policy;

import dev.sluice.policy.config.Plan;
import dev.sluice.policy.config.QuotaPeriod;
import io.netty.util.AsciiString;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers (draft 09 and
 * later): structured-field lists of items named by a string, with parameters.
 *
 * <ul>
 *   <li>{@code RateLimit-Policy: "rate";q=100;w=1, "quota";q=1000;w=86400}: {@code q} requests per {@code w}
 *       seconds. The rate policy is the token bucket's refill rate (its {@code burst} is not in the field); the
 *       quota policy's window is the calendar period (a month is given as 30 days: the field has no calendar).</li>
 *   <li>{@code RateLimit: "rate";r=42;t=1, "quota";r=900;t=3600}: {@code r} requests left now and {@code t}
 *       seconds until the policy is fully replenished (the bucket full again; the quota period over).</li>
 * </ul>
 * A plan without a rate or quota leaves that item out. Stateless.
 */
final class RateLimitFields {

    static final AsciiString POLICY = AsciiString.cached("RateLimit-Policy");
    static final AsciiString RATELIMIT = AsciiString.cached("RateLimit");
    static final AsciiString RETRY_AFTER = AsciiString.cached("Retry-After");
    /** Room for the longest {@code RateLimit} value: both items with 19-digit numbers. */
    static final int MAX_VALUE_LENGTH = 128;

    private static final byte[] RATE_REMAINING = AsciiFieldValue.ascii("\"rate\";r=");
    private static final byte[] QUOTA_REMAINING = AsciiFieldValue.ascii("\"quota\";r=");
    private static final byte[] NEXT_QUOTA_REMAINING = AsciiFieldValue.ascii(", \"quota\";r=");
    private static final byte[] RESET = AsciiFieldValue.ascii(";t=");

    private RateLimitFields() {
    }

    /** The {@code RateLimit-Policy} value of a plan, or {@code null} when it limits nothing. */
    static String policy(Plan plan) {
        StringBuilder b = new StringBuilder();
        if (plan.rate() != null) {
            b.append("\"rate\";q=").append(plan.rate().permits()).append(";w=").append(plan.rate().windowSeconds());
        }
        if (plan.quota() != null) {
            QuotaPeriod p = plan.quota().period();
            long window = p == QuotaPeriod.MONTH ? 30L * 86_400 : (p.startMillis(1) - p.startMillis(0)) / 1000;
            b.append(b.length() > 0 ? ", " : "").append("\"quota\";q=").append(plan.quota().limit())
                    .append(";w=").append(window);
        }
        return b.length() == 0 ? null : b.toString();
    }

    /**
     * The {@code RateLimit} value, or {@code null} when the plan limits nothing. Allocates; the data plane
     * uses {@link #render} for admitted requests.
     */
    static String value(Plan plan, long rateLeft, long rateReset, long quotaLeft, long quotaReset) {
        if (plan.rate() == null && plan.quota() == null) {
            return null;
        }
        return render(new AsciiFieldValue(MAX_VALUE_LENGTH), plan, rateLeft, rateReset, quotaLeft, quotaReset)
                .toString();
    }

    /**
     * Writes the {@code RateLimit} value into {@code out} (emptied first) and returns it; empty when the plan limits
     * nothing. Allocation-free.
     *
     * @param rateLeft     tokens left (ignored without a rate)
     * @param rateReset    seconds until the bucket is full
     * @param quotaLeft    requests left in the period (ignored without a quota)
     * @param quotaReset   seconds until the period ends
     */
    static AsciiFieldValue render(AsciiFieldValue out, Plan plan, long rateLeft, long rateReset, long quotaLeft,
                                  long quotaReset) {
        out.clear();
        if (plan.rate() != null) {
            out.append(RATE_REMAINING).append(rateLeft).append(RESET).append(rateReset);
        }
        if (plan.quota() != null) {
            out.append(out.length() > 0 ? NEXT_QUOTA_REMAINING : QUOTA_REMAINING).append(quotaLeft).append(RESET)
                    .append(quotaReset);
        }
        return out;
    }

    /** Whole seconds, rounded up, at least {@code min}. */
    static long ceilSeconds(long nanos, long min) {
        return Math.max(min, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
