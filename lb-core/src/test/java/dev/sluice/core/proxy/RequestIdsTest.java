package dev.sluice.core.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void shouldWriteThePrefixThenTheCounterAsThirtyTwoLowerCaseHexDigits() {
        CharSequence id = new RequestIds.Id(0x0123456789abcdefL, 0xfedcba9876543210L);
        assertEquals("0123456789abcdeffedcba9876543210", id.toString());
        assertEquals(32, id.length());
        assertEquals('f', id.charAt(16));
        assertEquals("89ab", id.subSequence(8, 12).toString());
    }

    @Test
    void shouldKeepTheLeadingZerosOfSmallCounters() {
        assertEquals("00000000000000000000000000000001", new RequestIds.Id(0, 1).toString());
    }

    @Test
    void shouldGiveEachRequestItsOwnIdWithTheLoopsPrefix() {
        RequestIds ids = new RequestIds();
        String first = ids.next().toString();
        String second = ids.next().toString();
        assertNotEquals(first, second);
        assertEquals(first.substring(0, 16), second.substring(0, 16));
        assertTrue(second.matches("[0-9a-f]{32}"), second);
    }
}
