package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ForwardingFieldsTest {

    private final ForwardingFields fields = new ForwardingFields(new RequestIds(0x0123456789abcdefL));

    ForwardingFieldsTest() {
        fields.init("192.0.2.10");
    }

    @Test
    void shouldWriteEveryForwardingFieldAndANewIdWhenTheClientSentNone() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "example.org");
        fields.prepare(h);
        assertEquals("x-forwarded-for: 192.0.2.10\r\n"
                + "x-forwarded-proto: http\r\n"
                + "x-forwarded-host: example.org\r\n"
                + "x-request-id: 0123456789abcdef0000000000000001\r\n", written());
        assertEquals(1, h.size(), "nothing is added to the map");
    }

    @Test
    void shouldAppendTheClientToAnEarlierForwardedForInTheMap() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "h").add("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
        fields.prepare(h);
        assertEquals("203.0.113.7, 10.0.0.1, 192.0.2.10", h.get("x-forwarded-for"));
        assertEquals(1, h.getAll("x-forwarded-for").size());
        assertFalse(written().contains("x-forwarded-for"), "the map's field is the only one");
    }

    @Test
    void shouldReplaceTheProtoAndHostTheClientClaims() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "example.org")
                .add("X-Forwarded-Proto", "https").add("X-Forwarded-Host", "bank.example");
        fields.prepare(h);
        assertFalse(h.contains("x-forwarded-proto"));
        assertFalse(h.contains("x-forwarded-host"));
        String text = written();
        assertEquals(1, count(text, "x-forwarded-proto: http\r\n"));
        assertEquals(1, count(text, "x-forwarded-host: example.org\r\n"));
    }

    @Test
    void shouldKeepTheClientsRequestIdAndDrawNone() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "h").add("X-Request-Id", "abc-123");
        fields.prepare(h);
        assertFalse(written().contains("x-request-id"));
        fields.prepare(new DefaultHttpHeaders().add("Host", "h"));
        assertEquals(1, count(written(), "x-request-id: 0123456789abcdef0000000000000001\r\n"),
                "the client's id used no number");
    }

    @Test
    void shouldWriteNoForwardedHostWithoutAHost() {
        fields.prepare(new DefaultHttpHeaders());
        assertFalse(written().contains("x-forwarded-host"));
    }

    @Test
    void shouldWriteTheSameIdForEveryAttemptAndANewOneForTheNextExchange() {
        fields.prepare(new DefaultHttpHeaders().add("Host", "h"));
        String first = written();
        assertEquals(first, written(), "a retry writes the same fields");
        fields.prepare(new DefaultHttpHeaders().add("Host", "h"));
        assertNotEquals(first, written());
    }

    @Test
    void shouldReadTheAppendedValueCharacterByCharacter() {
        CharSequence v = new ForwardingFields.ForwardedFor("a", "b");
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            read.append(v.charAt(i));
        }
        assertEquals("a, b", read.toString());
        assertEquals(", ", v.subSequence(1, 3).toString());
    }

    private String written() {
        ByteBuf buf = Unpooled.buffer(16);
        try {
            fields.writeTo(buf);
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
