package dev.sluice.core.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBudgetTest {

    private static RetryBudget afterRequests(int requests, int budgetPercent) {
        RetryBudget budget = new RetryBudget();
        for (int i = 0; i < requests; i++) {
            budget.requestStarted(budgetPercent);
        }
        return budget;
    }

    private static int retriesAllowedOutOf(RetryBudget budget, int asked) {
        int allowed = 0;
        for (int i = 0; i < asked; i++) {
            if (budget.tryRetry(false)) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void shouldAllowTheMinimumConcurrentRetriesWhenTrafficIsLow() {
        RetryBudget budget = afterRequests(4, 20);
        for (int i = 0; i < RetryBudget.MIN_CONCURRENT_RETRIES; i++) {
            assertTrue(budget.tryRetry(false), "retry " + i);
        }
        assertFalse(budget.tryRetry(false));
        assertEquals(RetryBudget.MIN_CONCURRENT_RETRIES, budget.retrying());
    }

    @Test
    void shouldAllowRetriesUpToTheBudgetShareOfRequests() {
        RetryBudget budget = afterRequests(100, 20);
        assertEquals(RetryBudget.MIN_CONCURRENT_RETRIES + 20, retriesAllowedOutOf(budget, 50),
                "the floor's three, then the 20 retries that 100 requests at 20 % paid for");
    }

    @Test
    void shouldRetryEveryRequestThatFailsAtOnceWhenEarlierTrafficSavedCredit() {
        RetryBudget budget = afterRequests(500, 20);
        for (int i = 0; i < 476; i++) {
            budget.requestEnded(false);
        }
        // 24 in flight when their backend dies: every one of them may retry (a third of them is far over 20 %).
        assertEquals(24, retriesAllowedOutOf(budget, 24));
    }

    @Test
    void shouldSettleAtTheBudgetShareWhenFailingRetriesPileUp() {
        RetryBudget storm = new RetryBudget();
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            storm.requestStarted(20);
            if (storm.tryRetry(false)) {
                held++; // never ends: a dead cluster with slow timeouts holds every retry
            }
        }
        // The floor's three, then the credit of the other 9,997 requests plus the 60 left from the first three.
        assertEquals(3 + (9_997 * 20 + 60) / 100, held);
    }

    @Test
    void shouldCapSavedCreditAtTheBurstAllowance() {
        RetryBudget budget = afterRequests(100 * RetryBudget.BURST_REQUESTS, 20);
        assertEquals(20 * RetryBudget.BURST_REQUESTS / 100, budget.creditedRetries());
        assertEquals(RetryBudget.MIN_CONCURRENT_RETRIES + budget.creditedRetries(), retriesAllowedOutOf(budget, 10_000));
    }

    @Test
    void shouldFreeRoomWhenARetryingRequestEnds() {
        RetryBudget budget = afterRequests(3, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryRetry(false));
        }
        assertFalse(budget.tryRetry(false));
        budget.requestEnded(true);
        budget.requestStarted(0);
        assertTrue(budget.tryRetry(false));
    }

    @Test
    void shouldLetARequestAlreadyInRetryTryAgainWithoutCountingTwice() {
        RetryBudget budget = afterRequests(3, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryRetry(false));
        }
        assertTrue(budget.tryRetry(true), "its own slot is already counted");
        assertEquals(3, budget.retrying());
    }

    @Test
    void shouldForgetEndedRequestsThatNeverRetried() {
        RetryBudget budget = afterRequests(2, 20);
        budget.requestEnded(false);
        budget.requestEnded(false);
        assertEquals(0, budget.retrying());
    }
}
