package dev.sluice.core.proxy;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class CommonFieldNamesTest {

    private static AsciiString find(String line, int start, int length) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        return CommonFieldNames.find(bytes, start, length);
    }

    @Test
    void shouldShareOneNameForEveryFieldSpelledTheCommonWay() {
        AsciiString first = find("Content-Type: text/plain", 0, 12);
        assertEquals("Content-Type", first.toString());
        assertSame(first, find("xxContent-Type", 2, 12));
    }

    @Test
    void shouldKeepTheSpellingThatArrived() {
        assertEquals("content-type", find("content-type", 0, 12).toString());
        assertNull(find("CONTENT-TYPE", 0, 12), "an unlisted spelling is left to Netty, which keeps it as sent");
    }

    @Test
    void shouldMatchOnlyWholeNames() {
        assertNull(find("Content-Typo", 0, 12));
        assertNull(find("Content-Type", 0, 11));
        assertNull(find("X-An-Unusually-Long-Field-Name-That-No-Table-Holds", 0, 50));
    }
}
