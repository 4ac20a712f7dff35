package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoChoicesTest {

    @Test
    void shouldDrawTwoDistinctReadyBackendsUniformly() {
        BackendSet set = TestBackends.withUnhealthy(TestBackends.backends(6), 2);
        TwoChoices choices = new TwoChoices(new ReadyList(set), 99);
        int[][] pairs = new int[6][6];
        for (int i = 0; i < 100_000; i++) {
            assertTrue(choices.draw(-1));
            assertNotEquals(choices.first, choices.second);
            pairs[choices.first][choices.second]++;
        }
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                if (a == b || a == 2 || b == 2) {
                    assertEquals(0, pairs[a][b]);
                } else {
                    assertEquals(100_000 / 20.0, pairs[a][b], 400, "pair " + a + "," + b);
                }
            }
        }
    }

    @Test
    void shouldLeaveOutTheExcludedBackendWhileAnotherIsReady() {
        TwoChoices choices = new TwoChoices(new ReadyList(TestBackends.set(TestBackends.backends(4))), 5);
        int[] seen = new int[4];
        for (int i = 0; i < 10_000; i++) {
            choices.draw(1);
            seen[choices.first]++;
            seen[choices.second]++;
        }
        assertEquals(0, seen[1]);
        assertTrue(seen[0] > 6000 && seen[2] > 6000 && seen[3] > 6000);
        TwoChoices two = new TwoChoices(new ReadyList(TestBackends.set(TestBackends.backends(2))), 5);
        two.draw(0);
        assertEquals(1, two.first);
        assertEquals(1, two.second);
        TwoChoices one = new TwoChoices(new ReadyList(TestBackends.set(TestBackends.backends(1))), 5);
        one.draw(0);
        assertEquals(0, one.first);
    }

    @Test
    void shouldReportThatNothingIsReady() {
        BackendSet none = TestBackends.withUnhealthy(TestBackends.backends(2), 0, 1);
        assertFalse(new TwoChoices(new ReadyList(none), 1).draw(-1));
    }
}
