package dev.sluice.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoopCountsTest {

    @Test
    void shouldCountEachConsumerOnItsOwn() {
        LoopCounts counts = new LoopCounts(4);
        counts.increment(0);
        counts.increment(2);
        counts.increment(2);
        assertEquals(1, counts.get(0));
        assertEquals(0, counts.get(1));
        assertEquals(2, counts.get(2));
    }

    @Test
    void shouldKeepEveryCountWhenAConsumerPastTheEndIsFirstCounted() {
        LoopCounts counts = new LoopCounts(0);
        counts.increment(3);
        counts.increment(1000);
        counts.increment(3);
        assertEquals(2, counts.get(3));
        assertEquals(1, counts.get(1000));
        assertEquals(0, counts.get(999));
    }

    @Test
    void shouldAnswerZeroForAConsumerItNeverCounted() {
        assertEquals(0, new LoopCounts(16).get(1_000_000));
    }
}
