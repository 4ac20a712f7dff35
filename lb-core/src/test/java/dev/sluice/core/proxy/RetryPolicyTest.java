package dev.sluice.core.proxy;

import dev.sluice.core.config.RetryConfig;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void shouldRetryOnlyTheListedConditionsAndStatuses() {
        RetryPolicy p = RetryPolicy.of(new RetryConfig(2, Set.of("connect_failure", "503", "504"), 25));
        assertTrue(p.onConnectFailure());
        assertFalse(p.onReset());
        assertFalse(p.onTimeout());
        assertTrue(p.onStatus(503));
        assertTrue(p.onStatus(504));
        assertFalse(p.onStatus(500));
        assertFalse(p.onStatus(200));
        assertFalse(p.onStatus(-1));
        assertFalse(p.onStatus(999));
        assertEquals(2, p.attempts());
        assertEquals(25, p.budgetPercent());
    }

    @Test
    void shouldRetryNothingWithoutARetriesSection() {
        RetryPolicy p = RetryPolicy.of(null);
        assertEquals(0, p.attempts());
        assertFalse(p.onConnectFailure());
        assertFalse(p.onStatus(503));
    }
}
