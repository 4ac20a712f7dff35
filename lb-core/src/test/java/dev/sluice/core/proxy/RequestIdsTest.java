package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void shouldWriteThePrefixThenTheCounterAsThirtyTwoLowerCaseHexDigits() {
        RequestIds ids = new RequestIds(0x0123456789abcdefL);
        ByteBuf buf = Unpooled.buffer(4);
        try {
            buf.writeByte('>');
            ids.write(0xfedcba9876543210L, buf);
            assertEquals(">0123456789abcdeffedcba9876543210", buf.toString(StandardCharsets.US_ASCII));
        } finally {
            buf.release();
        }
        assertEquals("0123456789abcdeffedcba9876543210", ids.text(0xfedcba9876543210L));
    }

    @Test
    void shouldKeepTheLeadingZerosOfSmallCounters() {
        assertEquals("00000000000000000000000000000001", new RequestIds(0).text(1));
    }

    @Test
    void shouldGiveEachRequestItsOwnIdWithTheLoopsPrefix() {
        RequestIds ids = new RequestIds();
        String first = ids.text(ids.next());
        String second = ids.text(ids.next());
        assertNotEquals(first, second);
        assertEquals(first.substring(0, 16), second.substring(0, 16));
        assertTrue(second.matches("[0-9a-f]{32}"), second);
    }
}
