package dev.sluice.core.balancer;

import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashKeyTest {

    private static long keyOf(String text) {
        return StableHash.hash(text, StableHash.KEY_SEED);
    }

    private static long hash(String spec, HttpRequest request) {
        return HashKey.parse(spec).hash(TestBackends.context(request, "192.0.2.1"));
    }

    private static HttpRequest withHeader(String uri, String name, String value) {
        HttpRequest request = TestBackends.get(uri);
        request.headers().add(name, value);
        return request;
    }

    @Test
    void shouldHashTheFirstValueOfTheHeaderWhateverItsNameCase() {
        HttpRequest request = withHeader("/", "X-User", "alice");
        request.headers().add("x-user", "bob");
        assertEquals(keyOf("alice"), hash("header:x-user", request));
    }

    @Test
    void shouldTreatAMissingOrEmptyHeaderAsNoKey() {
        assertEquals(HashKey.ABSENT, hash("header:x-user", TestBackends.get("/")));
        assertEquals(HashKey.ABSENT, hash("header:x-user", withHeader("/", "x-user", "")));
    }

    @Test
    void shouldFindTheCookieAmongOthers() {
        HttpRequest request = withHeader("/", "Cookie", "theme=dark; session=abc123 ;lang=en");
        assertEquals(keyOf("abc123"), hash("cookie:session", request));
        assertEquals(keyOf("en"), hash("cookie:lang", request));
        assertEquals(keyOf("dark"), hash("cookie:theme", request));
    }

    @Test
    void shouldUnquoteACookieValueAndMatchNamesExactly() {
        HttpRequest request = withHeader("/", "Cookie", "Session=no; flag; session=\"q1\"");
        assertEquals(keyOf("q1"), hash("cookie:session", request));
        assertEquals(HashKey.ABSENT, hash("cookie:sess", request));
        assertEquals(HashKey.ABSENT, hash("cookie:flag", request));
        assertEquals(HashKey.ABSENT, hash("cookie:session", TestBackends.get("/")));
    }

    @Test
    void shouldFindTheRawQueryParameter() {
        assertEquals(keyOf("42"), hash("query:id", TestBackends.get("/a?x=1&id=42&y")));
        assertEquals(keyOf("a%20b"), hash("query:id", TestBackends.get("/a?id=a%20b#frag")));
        assertEquals(HashKey.ABSENT, hash("query:id", TestBackends.get("/a?ids=1&xid=2")));
        assertEquals(HashKey.ABSENT, hash("query:id", TestBackends.get("/a?id=&x=1")));
        assertEquals(HashKey.ABSENT, hash("query:id", TestBackends.get("/a?id")));
        assertEquals(HashKey.ABSENT, hash("query:id", TestBackends.get("/a#id=1")));
    }

    @Test
    void shouldHashThePathWithoutQuery() {
        assertEquals(keyOf("/users/7"), hash("path", TestBackends.get("/users/7?x=1")));
        assertEquals(keyOf("/users/7"), hash("path", TestBackends.get("http://example.org/users/7#top")));
        assertEquals(keyOf("/"), hash("path", TestBackends.get("http://example.org")));
        assertEquals(keyOf("*"), hash("path", TestBackends.get("*")));
    }

    @Test
    void shouldHashClientAddressesOfBothFamilies() {
        HashKey key = HashKey.parse("client_ip");
        long v4 = key.hash(TestBackends.context(TestBackends.get("/"), "192.0.2.1"));
        assertEquals(StableHash.hashInt(0xC0000201, StableHash.KEY_SEED), v4);
        long v6 = key.hash(TestBackends.context(TestBackends.get("/"), "2001:db8::1"));
        long v6b = key.hash(TestBackends.context(TestBackends.get("/"), "2001:db8::2"));
        assertNotEquals(HashKey.ABSENT, v6);
        assertNotEquals(v6, v6b);
        assertEquals(HashKey.ABSENT, key.hash(TestBackends.context(TestBackends.get("/"), null)));
    }

    @Test
    void shouldRejectAnUnknownKeySource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashKey.parse("body:x"));
        assertTrue(e.getMessage().contains("body:x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HashKey.parse("header:"));
        assertThrows(IllegalArgumentException.class, () -> HashKey.parse("cookie"));
        assertEquals("client_ip", HashKey.parse(null).toString());
    }
}
