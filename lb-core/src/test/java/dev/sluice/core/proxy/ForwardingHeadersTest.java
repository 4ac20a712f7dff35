package dev.sluice.core.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardingHeadersTest {

    @Test
    void shouldAppendTheClientToAnEarlierForwardedFor() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
        ForwardingHeaders.addForwarding(h, "192.0.2.10", new RequestIds());
        assertEquals("203.0.113.7, 10.0.0.1, 192.0.2.10", h.get("x-forwarded-for"));
        assertEquals(1, h.getAll("x-forwarded-for").size());
    }

    @Test
    void shouldReadTheAppendedValueCharacterByCharacter() {
        CharSequence v = new ForwardingHeaders.ForwardedFor("a", "b");
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            read.append(v.charAt(i));
        }
        assertEquals("a, b", read.toString());
        assertEquals(", ", v.subSequence(1, 3).toString());
    }

    @Test
    void shouldStartForwardedForWithTheClientWhenNoneArrived() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("Host", "example.org");
        ForwardingHeaders.addForwarding(h, "192.0.2.10", new RequestIds());
        assertEquals("192.0.2.10", h.get("x-forwarded-for"));
        assertEquals("http", h.get("x-forwarded-proto"));
        assertEquals("example.org", h.get("x-forwarded-host"));
        assertEquals(32, h.get("x-request-id").length());
    }
}
