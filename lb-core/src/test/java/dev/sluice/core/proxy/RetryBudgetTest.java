package dev.sluice.core.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBudgetTest {

    private static RetryBudget withActive(int active) {
        RetryBudget budget = new RetryBudget();
        for (int i = 0; i < active; i++) {
            budget.requestStarted();
        }
        return budget;
    }

    @Test
    void shouldAllowTheMinimumConcurrentRetriesWhenTrafficIsLow() {
        RetryBudget budget = withActive(4);
        for (int i = 0; i < RetryBudget.MIN_CONCURRENT_RETRIES; i++) {
            assertTrue(budget.tryRetry(false, 20), "retry " + i);
        }
        assertFalse(budget.tryRetry(false, 20));
        assertEquals(RetryBudget.MIN_CONCURRENT_RETRIES, budget.retrying());
    }

    @Test
    void shouldCapRetriesInFlightAtTheBudgetShareOfActiveRequests() {
        RetryBudget budget = withActive(100);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            if (budget.tryRetry(false, 20)) {
                allowed++;
            }
        }
        assertEquals(20, allowed);
    }

    @Test
    void shouldFreeRoomWhenARetryingRequestEnds() {
        RetryBudget budget = withActive(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryRetry(false, 0));
        }
        assertFalse(budget.tryRetry(false, 0));
        budget.requestEnded(true);
        budget.requestStarted();
        assertTrue(budget.tryRetry(false, 0));
    }

    @Test
    void shouldLetARequestAlreadyInRetryTryAgainWithoutCountingTwice() {
        RetryBudget budget = withActive(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryRetry(false, 0));
        }
        assertTrue(budget.tryRetry(true, 0), "its own slot is already counted");
        assertEquals(3, budget.retrying());
    }

    @Test
    void shouldForgetEndedRequestsThatNeverRetried() {
        RetryBudget budget = withActive(2);
        budget.requestEnded(false);
        budget.requestEnded(false);
        assertEquals(0, budget.active());
        assertEquals(0, budget.retrying());
    }
}
