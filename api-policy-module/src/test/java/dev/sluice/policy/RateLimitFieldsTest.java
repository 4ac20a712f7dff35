package dev.sluice.policy;

import dev.sluice.policy.config.Plan;
import dev.sluice.policy.config.Quota;
import dev.sluice.policy.config.QuotaPeriod;
import dev.sluice.policy.config.Rate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RateLimitFieldsTest {

    static final Plan BOTH = new Plan("both", new Rate(10, 1), 10, new Quota(Quota.MAX_LIMIT, QuotaPeriod.MONTH));
    static final Plan QUOTA = new Plan("quota", null, 1, new Quota(5, QuotaPeriod.DAY));

    @Test
    void shouldRenderInPlaceWhatTheStringFormGives() {
        AsciiFieldValue out = new AsciiFieldValue(RateLimitFields.MAX_VALUE_LENGTH);
        assertSame(out, RateLimitFields.render(out, BOTH, 9, 1, 68_719_476_734L, 2_592_000));
        assertEquals("\"rate\";r=9;t=1, \"quota\";r=68719476734;t=2592000", out.toString());
        assertEquals(RateLimitFields.value(BOTH, 9, 1, 68_719_476_734L, 2_592_000), out.toString());
        assertEquals('"', out.charAt(0));
        assertEquals("rate", out.subSequence(1, 5).toString());
    }

    @Test
    void shouldReplaceTheWholeValueWhenRenderedAgain() {
        AsciiFieldValue out = new AsciiFieldValue(RateLimitFields.MAX_VALUE_LENGTH);
        RateLimitFields.render(out, BOTH, 1_000_000_000L, 100, 5, 60);
        RateLimitFields.render(out, QUOTA, 0, 0, 0, 0);
        assertEquals("\"quota\";r=0;t=0", out.toString());
        assertEquals(out.toString().length(), out.length());
    }

    @Test
    void shouldHoldTheLongestValue() {
        AsciiFieldValue out = new AsciiFieldValue(RateLimitFields.MAX_VALUE_LENGTH);
        RateLimitFields.render(out, BOTH, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE);
        assertEquals("\"rate\";r=9223372036854775807;t=9223372036854775807, \"quota\";r=9223372036854775807;"
                + "t=-9223372036854775808", out.toString());
    }

    @Test
    void shouldGiveNoValueForAPlanThatLimitsNothing() {
        Plan none = new Plan("none", null, 1, null);
        assertNull(RateLimitFields.value(none, 0, 0, 0, 0));
        assertEquals("", RateLimitFields.render(new AsciiFieldValue(8), none, 0, 0, 0, 0).toString());
    }
}
