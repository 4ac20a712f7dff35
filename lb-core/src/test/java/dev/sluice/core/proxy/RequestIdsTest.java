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
        assertEquals("0123456789abcdeffedcba9876543210", text(ids, 0xfedcba9876543210L));
    }

    @Test
    void shouldKeepTheLeadingZerosOfSmallCounters() {
        assertEquals("00000000000000000000000000000001", text(new RequestIds(0), 1));
    }

    /** The digits {@code ids} writes for {@code id}. */
    static String text(RequestIds ids, long id) {
        ByteBuf buf = Unpooled.buffer(RequestIds.LENGTH);
        try {
            ids.write(id, buf);
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldGiveEachRequestItsOwnIdWithTheLoopsPrefix() {
        RequestIds ids = new RequestIds();
        String first = text(ids, ids.next());
        String second = text(ids, ids.next());
        assertNotEquals(first, second);
        assertEquals(first.substring(0, 16), second.substring(0, 16));
        assertTrue(second.matches("[0-9a-f]{32}"), second);
    }
}
