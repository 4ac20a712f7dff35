package dev.sluice.core.proxy;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.config.YamlNodeReader;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawBackend;
import dev.sluice.core.testing.RawHttpClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Response fields set by filters that do not read the response head ({@code readsResponseHead() == false}),
 * end to end: they reach the client in place of the backend's fields of the same names, never touch the
 * framing, and the backend's head is then written from its received bytes.
 */
class ProxyResponseFieldsTest {

    /** A field line with no space after the colon: copied as received, re-encoded as {@code name: value}. */
    private static final String VERBATIM = "X-Verbatim:as-sent";

    @RegisterExtension
    final Closer closer = new Closer();

    private RawHttpClient client(String transport, int loops, RawBackend backend, String... sections) throws Exception {
        SluiceConfig base = ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(ClusterConfig.simple("web", "round_robin", List.of(new BackendConfig(backend.address(), 1)))),
                List.of(ProxyFixture.route("/", "web")));
        Map<String, ConfigNode> extensions = new LinkedHashMap<>();
        for (String section : sections) {
            extensions.put(section, YamlNodeReader.read("test.yaml", "enabled: true"));
        }
        ProxyFixture proxy = closer.use(ProxyFixture.start(new SluiceConfig(null, base.runtime(), base.admin(),
                base.listeners(), base.clusters(), extensions)));
        return closer.use(proxy.client(5_000));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head lines (status line first) of a whole response read until the close. */
    private static List<String> headLines(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, text);
        return List.of(text.substring(0, end).split("\r\n"));
    }

    private static long count(RawHttpClient.Response r, String name) {
        return r.headers().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).count();
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAddTheFieldsAFilterSetsWithoutReEncodingTheBackendsHead(String transport, int loops) throws Exception {
        RawBackend backend = closer.use(new RawBackend());
        backend.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + VERBATIM + "\r\n\r\nok"), false);
        RawHttpClient client = client(transport, loops, backend, AppendingFilterProvider.SECTION);
        int callsBefore = AppendingFilterProvider.ON_RESPONSE_HEAD_CALLS.get();

        client.send("GET /added HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        byte[] raw = client.readUntilClosed();

        List<String> lines = headLines(raw);
        assertTrue(lines.contains("x-appended: /added"), lines.toString());
        assertTrue(lines.contains(VERBATIM), "the backend's line is copied as it arrived: " + lines);
        assertTrue(new String(raw, StandardCharsets.ISO_8859_1).endsWith("\r\n\r\nok"));
        assertEquals(callsBefore, AppendingFilterProvider.ON_RESPONSE_HEAD_CALLS.get(), "onResponseHead is not called");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldReplaceABackendFieldOfTheSameNameWhenAFilterSetsIt(String transport, int loops) throws Exception {
        RawBackend backend = closer.use(new RawBackend());
        backend.reply(ascii("HTTP/1.1 200 OK\r\nX-Thing: one\r\nContent-Length: 2\r\nx-THING: two\r\nX-Other: o\r\n\r\nok"),
                false);
        RawHttpClient client = client(transport, loops, backend, AppendingFilterProvider.SECTION);

        RawHttpClient.Response r = client.get("/replaced");

        assertEquals(1, count(r, "x-thing"), r.headers().toString());
        assertEquals("from-filter", r.header("x-thing"));
        assertEquals("o", r.header("x-other"), "other backend fields stay");
        assertEquals("ok", r.bodyText());
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldNeverWriteFramingOrHopByHopFieldsAFilterSets(String transport, int loops) throws Exception {
        RawBackend backend = closer.use(new RawBackend());
        RawHttpClient client = client(transport, loops, backend, AppendingFilterProvider.SECTION);

        backend.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), false);
        RawHttpClient.Response sized = client.get("/sized");
        assertFramedByTheProxy(sized, "5", null);
        assertEquals("hello", sized.bodyText());

        backend.reply(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), false);
        RawHttpClient.Response chunked = client.get("/chunked");
        assertFramedByTheProxy(chunked, null, "chunked");
        assertEquals("hello", chunked.bodyText());

        backend.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), false);
        client.send("HEAD /head HTTP/1.1\r\nHost: h\r\n\r\n");
        assertFramedByTheProxy(client.readResponse(true), "5", null);

        backend.reply(ascii("HTTP/1.1 204 No Content\r\n\r\n"), false);
        RawHttpClient.Response empty = client.get("/empty");
        assertEquals(204, empty.status());
        assertFramedByTheProxy(empty, null, null);

        backend.reply(ascii("HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\n\r\n"), false);
        RawHttpClient.Response unchanged = client.get("/unchanged");
        assertEquals(304, unchanged.status());
        assertFramedByTheProxy(unchanged, null, null);

        backend.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast"), false);
        assertEquals("last", client.get("/last").bodyText(), "the connection's framing held throughout");
    }

    private static void assertFramedByTheProxy(RawHttpClient.Response r, String contentLength, String transferEncoding) {
        String fields = r.headers().toString();
        assertEquals("from-filter", r.header("x-thing"), fields);
        assertEquals(contentLength, r.header("content-length"), fields);
        assertEquals(contentLength == null ? 0 : 1, count(r, "content-length"), fields);
        assertEquals(transferEncoding, r.header("transfer-encoding"), fields);
        assertEquals(transferEncoding == null ? 0 : 1, count(r, "transfer-encoding"), fields);
        for (String name : List.of("connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade")) {
            assertEquals(0, count(r, name), name + " in " + fields);
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldGiveAMixedChainEveryFiltersFieldsOnTheHeadItReEncodes(String transport, int loops) throws Exception {
        RawBackend backend = closer.use(new RawBackend());
        backend.reply(ascii("HTTP/1.1 200 OK\r\nX-Thing: one\r\nContent-Length: 2\r\nX-THING: two\r\n"
                + VERBATIM + "\r\n\r\nok"), false);
        RawHttpClient client = client(transport, loops, backend,
                AppendingFilterProvider.SECTION, RecordingFilterProvider.SECTION);
        int callsBefore = AppendingFilterProvider.ON_RESPONSE_HEAD_CALLS.get();

        RawHttpClient.Response r = client.get("/mixed");
        assertEquals("/mixed", r.header("x-filter-saw"), "the reading filter's field");
        assertEquals("/mixed", r.header("x-appended"), "the append-only filter's field");
        assertFramedByTheProxy(r, "2", null);
        assertEquals("ok", r.bodyText());

        client.send("GET /denied HTTP/1.1\r\nHost: h\r\nx-deny: 1\r\n\r\n");
        RawHttpClient.Response denied = client.readResponse(false);
        assertEquals(403, denied.status());
        assertEquals("/denied", denied.header("x-appended"), "local replies get the fields too");
        assertEquals(1, count(denied, "content-length"), denied.headers().toString());
        assertEquals(0, count(denied, "upgrade"), denied.headers().toString());

        client.send("GET /encoded HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        List<String> lines = headLines(client.readUntilClosed());
        assertTrue(lines.contains("X-Verbatim: as-sent"), "a head a filter reads is encoded again: " + lines);
        assertEquals(callsBefore, AppendingFilterProvider.ON_RESPONSE_HEAD_CALLS.get(), "onResponseHead is not called");
    }
}
