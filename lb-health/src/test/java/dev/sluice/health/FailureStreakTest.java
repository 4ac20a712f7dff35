package dev.sluice.health;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureStreakTest {

    @Test
    void shouldSumFailuresOverLoopsWhileNoLoopSeesASuccess() {
        FailureStreak s = new FailureStreak();
        assertEquals(0, s.update(List.of(counts(10, 0, 0), counts(10, 0, 0))));
        assertEquals(0, s.update(List.of(counts(10, 0, 0), counts(10, 0, 0))));
        // Baselined after the first poll: each loop saw a success earlier, then only failures.
        assertEquals(4, s.update(List.of(counts(10, 2, 2), counts(10, 2, 2))));
        assertEquals(7, s.update(List.of(counts(10, 4, 4), counts(10, 3, 3))));
    }

    @Test
    void shouldTakeTheLongestSingleLoopRunWhenALoopSawASuccess() {
        FailureStreak s = new FailureStreak();
        s.update(List.of(counts(0, 0, 0), counts(0, 0, 0)));
        // Loop 0: three failures in a row; loop 1: a success after one failure.
        assertEquals(3, s.update(List.of(counts(0, 3, 3), counts(1, 1, 0))));
    }

    @Test
    void shouldContinueALoopRunAcrossPolls() {
        FailureStreak s = new FailureStreak();
        s.update(List.of(counts(0, 0, 0), counts(0, 0, 0)));
        s.update(List.of(counts(0, 2, 2), counts(1, 0, 0)));
        assertEquals(4, s.update(List.of(counts(0, 4, 4), counts(2, 0, 0))));
    }

    @Test
    void shouldCountAllFailuresOfANewBackendThatNeverSucceeded() {
        FailureStreak s = new FailureStreak();
        assertEquals(5, s.update(List.of(counts(0, 3, 3), counts(0, 2, 2))));
    }

    @Test
    void shouldIgnoreStaleLoopCountsAfterAReset() {
        FailureStreak s = new FailureStreak();
        s.update(List.of(counts(0, 5, 5), counts(0, 0, 0)));
        s.reset();
        // Loop 0 still reports 5 consecutive failures (it has had no request since); loop 1 fails once.
        assertEquals(1, s.update(List.of(counts(0, 5, 5), counts(0, 1, 1))));
        // Loop 1 succeeds: the longest run is loop 1's, not loop 0's stale counter.
        assertEquals(0, s.update(List.of(counts(0, 5, 5), counts(1, 1, 0))));
    }

    @Test
    void shouldNotLetATornReadMakeALoopRunLongerThanItsNewFailures() {
        FailureStreak s = new FailureStreak();
        s.update(List.of(counts(5, 5, 0)));
        // consecutive read ahead of failures: bounded by the failures seen since the last poll.
        assertEquals(1, s.update(List.of(counts(6, 6, 2))));
    }

    @Test
    void shouldStartOverWhenTheDataPlaneRecreatesItsCounters() {
        FailureStreak s = new FailureStreak();
        s.update(List.of(counts(100, 50, 0)));
        assertEquals(2, s.update(List.of(counts(0, 2, 2))));
    }

    @Test
    void shouldStartOverWhenTheNumberOfLoopsChanges() {
        FailureStreak s = new FailureStreak();
        s.update(List.of(counts(0, 3, 3)));
        assertEquals(2, s.update(List.of(counts(0, 1, 1), counts(0, 1, 1))));
    }

    private static FailureCounts counts(long successes, long failures, long consecutive) {
        return new FailureCounts(successes, failures, consecutive);
    }
}
