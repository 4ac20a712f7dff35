package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bodiless fast path of {@link StrictRequestDecoder} against the same decoder with the fast path off (every
 * head parsed by Netty): the same messages in the same order, field for field, however the bytes are split into
 * reads and whatever requests share a buffer; and Netty's refusals for heads beyond its limits.
 */
class BodilessRequestDecodingTest {

    private static final int MAX_FIELDS = 100;
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADER = 65536;

    /** Bodiless requests the fast path builds itself. */
    private static final List<String> FAST = List.of(
            "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "HEAD /index.html?q=1&r=%41 HTTP/1.0\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET http://example.com:8080/a/b?c=d%20e HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
            "PUT /p HTTP/1.1\r\nHost: h\r\n\r\n",
            "DELETE /d HTTP/1.1\r\nHost: h\r\n\r\n",
            "PATCH /p HTTP/1.1\r\nHost: h\r\n\r\n",
            "TRACE /t HTTP/1.1\r\nHost: h\r\n\r\n",
            "QUERY /q HTTP/1.1\r\nHost: h\r\n\r\n",
            "POST /no-body HTTP/1.1\r\nHost: h\r\n\r\n",
            "PROPFIND /dav HTTP/1.1\r\nHost: h\r\n\r\n",
            "get /lower-case-method HTTP/1.1\r\nHost: h\r\n\r\n",
            "M-SEARCH * HTTP/1.1\r\nHost: h\r\n\r\n",
            "!#$%&'*+-.^_`|~09azAZ /every-token-byte HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /browser HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
                    + "Accept: text/html,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, br\r\n"
                    + "Referer: https://www.example.com/\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: keep-alive\r\n"
                    + "Upgrade-Insecure-Requests: 1\r\nSec-Fetch-Dest: document\r\nCache-Control: max-age=0\r\n\r\n",
            "GET /spellings HTTP/1.1\r\nhost: h\r\nHOST: h2\r\nx-request-id: 1\r\nX-Request-ID: 2\r\nX-Request-Id: 3\r\n"
                    + "CONTENT-TYPE: text/plain\r\nX-Custom-Field: c\r\nx: short\r\n\r\n",
            "GET /duplicates HTTP/1.1\r\nHost: h\r\nX-Dup: 1\r\nx-dup: 2\r\nX-Dup: 1\r\nX-Dup: 1\r\n\r\n",
            "GET /values HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Blank:  \t \r\nX-Inner: a b\tc  d\r\n"
                    + "X-Ows: \t padded \t \r\nX-Tight:tight\r\nX-Quoted: \"q, r\"; s=(t)\r\n\r\n",
            "GET /obs-text HTTP/1.1\r\nHost: h\r\nX-Latin: caf\u00e9 \u0080\u00ff\r\nX-High:\u00ff\r\n\r\n",
            "\r\nGET /one-leading-line HTTP/1.1\r\nHost: h\r\n\r\n",
            "\r\n".repeat(8) + "GET /eight-leading-lines HTTP/1.0\r\n\r\n",
            "GET /near-misses HTTP/1.1\r\nHost: h\r\nTransfer-Encodinx: chunked\r\nContent-Lengthy: 5\r\n"
                    + "Sec-WebSocket-Kez1: a\r\n\r\n",
            "GET /many-fields HTTP/1.1\r\nHost: h\r\n" + manyFields(90) + "\r\n");

    /** Bodiless requests that Netty decodes, with the fields the decoder must handle itself. */
    private static final List<String> NETTY = List.of(
            "GET /underscore HTTP/1.1\r\nHost: h\r\nX_Forwarded_For: 10.0.0.1\r\nX-Kept: k\r\n\r\n",
            "GET /websocket-hixie-76 HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                    + "sec-websocket-key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U",
            "GET /websocket-key1-only HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key1: 1\r\n\r\n");

    /** Requests with a body, and so for Netty, interleaved with bodiless ones. */
    private static final List<String> WITH_BODY = List.of(
            "POST /length HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
            "POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
            "PUT /lower-case-length HTTP/1.1\r\nHost: h\r\ncontent-length: 0\r\n\r\n",
            "POST /chunked-no-trailer HTTP/1.1\r\nHost: h\r\ntransfer-encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n",
            "POST /http10-length HTTP/1.0\r\nContent-Length: 3\r\n\r\nxyz");

    /** What one decoder made of a byte stream: each message described, and how many requests took the fast path. */
    record Decoded(List<String> messages, int fastRequests, List<Boolean> headAnswers) {
    }

    private static HttpDecoderConfig config(int maxLine, int maxHeader) {
        return new HttpDecoderConfig() // as FrontendInitializer configures it
                .setMaxInitialLineLength(maxLine)
                .setMaxHeaderSize(maxHeader)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setHeadersFactory(HttpGrammar.CHECKED_FIELDS)
                .setTrailersFactory(HttpGrammar.CHECKED_TRAILERS);
    }

    private static Decoded decode(boolean fastPath, String stream, int[] cuts, boolean direct, int maxLine, int maxHeader) {
        byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        HeadRequestQueue queue = new HeadRequestQueue();
        EmbeddedChannel ch = new EmbeddedChannel(
                new StrictRequestDecoder(config(maxLine, maxHeader), MAX_FIELDS, queue, fastPath));
        List<String> messages = new ArrayList<>();
        int[] counts = new int[2]; // requests, fast-path requests
        try {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : bytes.length;
                if (to > from) {
                    ch.writeInbound(buffer(bytes, from, to, direct));
                }
                from = to;
                drain(ch, messages, counts);
            }
            ch.finish(); // the client closes: the decoder's last word
            drain(ch, messages, counts);
        } finally {
            ch.finishAndReleaseAll();
        }
        List<Boolean> headAnswers = new ArrayList<>();
        for (int i = 0; i < counts[0]; i++) {
            headAnswers.add(queue.finalResponseStarted());
        }
        return new Decoded(messages, counts[1], headAnswers);
    }

    private static Decoded decode(boolean fastPath, String stream, int... cuts) {
        return decode(fastPath, stream, cuts, false, MAX_LINE, MAX_HEADER);
    }

    private static ByteBuf buffer(byte[] bytes, int from, int to, boolean direct) {
        ByteBuf buf = direct ? Unpooled.directBuffer(to - from) : Unpooled.buffer(to - from);
        return buf.writeBytes(bytes, from, to - from);
    }

    private static void drain(EmbeddedChannel ch, List<String> messages, int[] counts) {
        for (Object msg; (msg = ch.readInbound()) != null; ) {
            try {
                messages.add(describe(msg));
                if (msg instanceof HttpRequest req) {
                    counts[0]++;
                    // Netty's path always sets its size-carrying success; the fast path leaves the plain one
                    if (req.decoderResult().isSuccess() && !(req.decoderResult() instanceof HttpMessageDecoderResult)) {
                        counts[1]++;
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Everything a later handler could observe of a message, shared instances marked as such. */
    private static String describe(Object msg) {
        StringBuilder b = new StringBuilder(msg.getClass().getSimpleName());
        if (msg instanceof HttpRequest req) {
            HttpMethod method = req.method();
            HttpVersion version = req.protocolVersion();
            b.append(' ').append(method).append(method == HttpMethod.valueOf(method.name()) ? "(shared)" : "")
                    .append(' ').append(req.uri())
                    .append(' ').append(version)
                    .append(version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0 ? "(shared)" : "")
                    .append(' ').append(result(req.decoderResult()));
            describeFields(b.append(" headers "), req.headers());
            b.append(" validating=").append(validates(req.headers()));
        }
        if (msg instanceof HttpContent content) {
            b.append(" content=").append(escape(content.content().toString(StandardCharsets.ISO_8859_1)))
                    .append(' ').append(result(content.decoderResult()));
        }
        if (msg instanceof LastHttpContent last) {
            b.append(last == LastHttpContent.EMPTY_LAST_CONTENT ? " (EMPTY_LAST_CONTENT)" : "");
            HttpHeaders trailers = last.trailingHeaders();
            describeFields(b.append(" trailers ").append(trailers == EmptyHttpHeaders.INSTANCE ? "(shared) " : ""),
                    trailers);
        }
        return b.toString();
    }

    private static void describeFields(StringBuilder b, HttpHeaders headers) {
        b.append(headers.getClass().getSimpleName());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            b.append("\n    ").append(name.getClass().getSimpleName()).append(isSharedName(name) ? "(shared) " : " ")
                    .append(name).append(" = ").append(e.getValue().getClass().getSimpleName()).append(" [")
                    .append(escape(e.getValue())).append(']');
        }
    }

    private static boolean isSharedName(CharSequence name) {
        return name instanceof AsciiString a && CommonFieldNames.find(a.array(), a.arrayOffset(), a.length()) == a;
    }

    /** Whether the map checks names as they are added (Netty's default factory) or trusts the scanner. */
    private static boolean validates(HttpHeaders headers) {
        try {
            headers.add("not a token", "v");
            headers.remove("not a token");
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String result(DecoderResult r) {
        if (r.isSuccess()) {
            return "success";
        }
        Throwable cause = r.cause();
        return "failure " + (cause == null ? "?" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private static String escape(CharSequence s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String manyFields(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i % 3 == 0 ? "Accept" : "X-Field-" + i).append(": value ").append(i).append("\r\n");
        }
        return b.toString();
    }

    private static int[] everyPiece(int length, int piece) {
        int[] cuts = new int[(length - 1) / piece];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * piece;
        }
        return cuts;
    }

    /** Decodes {@code stream} with the fast path on and off, asserts the same outcome, returns the fast one. */
    private static Decoded assertSameAsNetty(String stream, int[] cuts, boolean direct, int maxLine, int maxHeader) {
        Decoded netty = decode(false, stream, cuts, direct, maxLine, maxHeader);
        Decoded fast = decode(true, stream, cuts, direct, maxLine, maxHeader);
        assertEquals(0, netty.fastRequests(), "the fast path is off");
        assertEquals(netty.messages(), fast.messages(), () -> "cuts " + java.util.Arrays.toString(cuts));
        assertEquals(netty.headAnswers(), fast.headAnswers(), "HEAD requests reported to the response encoder");
        return fast;
    }

    static Decoded assertSameAsNetty(String stream, int[] cuts, boolean direct) {
        return assertSameAsNetty(stream, cuts, direct, MAX_LINE, MAX_HEADER);
    }

    @Test
    void shouldDecodeABodilessRequestExactlyAsNettyDoesWhenItArrivesWhole() {
        for (String request : FAST) {
            for (boolean direct : new boolean[] {false, true}) {
                assertSameAsNetty(request, new int[0], direct);
                assertEquals(1, decode(true, request, new int[0], direct, MAX_LINE, MAX_HEADER).fastRequests(),
                        () -> "not built by the fast path: " + escape(request));
            }
        }
    }

    @Test
    void shouldLeaveToNettyTheHeadsWhoseFieldsNeedItsHandling() {
        for (String request : NETTY) {
            assertSameAsNetty(request, new int[0], true);
            assertEquals(0, decode(true, request).fastRequests(), () -> escape(request));
        }
        Decoded hixie = decode(true, NETTY.get(1));
        assertTrue(hixie.messages().get(1).contains("content=^n:ds[4U"), "Netty reads the 8-byte handshake body");
        assertTrue(decode(true, NETTY.get(0)).messages().get(0).contains("X-Kept") && !decode(true, NETTY.get(0))
                .messages().get(0).contains("X_Forwarded_For"), "the decoder drops names with '_'");
    }

    @Test
    void shouldDecodeABodilessRequestExactlyAsNettyDoesHoweverTheBytesAreSplit() {
        for (String request : FAST) {
            for (int piece = 1; piece <= 17; piece++) {
                Decoded fast = assertSameAsNetty(request, everyPiece(request.length(), piece), piece % 2 == 0);
                assertEquals(1, fast.fastRequests(), "a head in pieces is held back from Netty until it is whole");
            }
        }
    }

    @Test
    void shouldDecodePipelinedRequestsExactlyAsNettyDoesAtEveryByteBoundary() {
        List<String> requests = new ArrayList<>(FAST.subList(0, 12));
        for (int i = 0; i < WITH_BODY.size(); i++) {
            requests.add(2 * i + 1, WITH_BODY.get(i));
        }
        requests.addAll(NETTY);
        requests.add(FAST.get(0));
        String stream = String.join("", requests);
        int bodiless = FAST.subList(0, 12).size() + 1; // every bodiless head after a body, chunked or not
        assertEquals(bodiless, assertSameAsNetty(stream, new int[0], true).fastRequests());
        for (int cut = 1; cut < stream.length(); cut++) {
            assertEquals(bodiless, assertSameAsNetty(stream, new int[] {cut}, cut % 2 == 0).fastRequests());
        }
        for (int piece = 1; piece <= 7; piece++) {
            assertEquals(bodiless, assertSameAsNetty(stream, everyPiece(stream.length(), piece), piece % 2 == 1)
                    .fastRequests());
        }
    }

    @Test
    void shouldReportAStreamCutShortByTheClientExactlyAsNettyDoes() {
        String stream = FAST.get(15) + WITH_BODY.get(1) + FAST.get(16);
        int cutInHead = 0;
        for (int end = 1; end < stream.length(); end++) {
            Decoded fast = assertSameAsNetty(stream.substring(0, end), new int[] {end / 2}, end % 2 == 0);
            String last = fast.messages().isEmpty() ? "" : fast.messages().get(fast.messages().size() - 1);
            cutInHead += last.contains("failure PrematureChannelClosureException") ? 1 : 0;
        }
        assertTrue(cutInHead > 100, "heads whose request line had arrived are reported as cut short: " + cutInHead);
    }

    @Test
    void shouldHandAnIncompleteHeadToNettyOnceItOutgrowsNettysLimits() {
        int maxLine = 48;
        String request = FAST.get(15); // 349 bytes, its request line 21
        for (int piece = 1; piece <= 60; piece += 7) {
            // withheld up to 48 bytes, then Netty parses it line by line as it arrives
            Decoded fast = assertSameAsNetty(request, everyPiece(request.length(), piece), true, maxLine, MAX_HEADER);
            assertEquals(0, fast.fastRequests());
            assertTrue(fast.messages().get(0).contains(" success "), fast.messages().get(0));
        }
        assertEquals(1, decode(true, request, new int[0], true, maxLine, MAX_HEADER).fastRequests(), "whole, it fits");
        // a request line held by Netty unfinished (beyond 16 bytes, it may be over the field-section limit) must
        // not be built by the fast path once complete: Netty would take the next CRLF for an empty request line
        String begun = "GET /" + "b".repeat(30) + " HTTP/1.1\r\nHost: h\r\n\r\n\r\n" + WITH_BODY.get(0);
        for (int piece = 17; piece < 40; piece++) {
            assertSameAsNetty(begun, everyPiece(begun.length(), piece), true, MAX_LINE, 16);
        }
        String longLine = "GET /" + "a".repeat(60) + " HTTP/1.1\r\nHost: h\r\n\r\n";
        for (int piece = 1; piece <= 70; piece += 3) {
            Decoded fast = assertSameAsNetty(longLine, everyPiece(longLine.length(), piece), false, maxLine, MAX_HEADER);
            assertTrue(fast.messages().get(0).contains("failure " + TooLongHttpLineException.class.getSimpleName()),
                    fast.messages().get(0));
        }
    }

    @Test
    void shouldDecodeABodilessRequestFollowedByRequestsWithBodiesInTheSameBuffer() {
        String stream = FAST.get(0) + WITH_BODY.get(0) + WITH_BODY.get(1) + "HEAD /last HTTP/1.1\r\nHost: h\r\n\r\n";
        Decoded fast = decode(true, stream);
        assertEquals(2, fast.fastRequests(), "the first and the last request");
        List<String> m = fast.messages();
        assertEquals(9, m.size(), () -> String.join("\n", m));
        assertTrue(m.get(0).startsWith("DefaultHttpRequest GET(shared) / HTTP/1.1(shared) success"), m.get(0));
        assertTrue(m.get(1).contains("(EMPTY_LAST_CONTENT)"), m.get(1));
        assertTrue(m.get(2).startsWith("DefaultHttpRequest POST(shared) /length"), m.get(2));
        assertTrue(m.get(3).startsWith("DefaultLastHttpContent content=hello success trailers (shared)"), m.get(3));
        assertTrue(m.get(4).startsWith("DefaultHttpRequest POST(shared) /chunked"), m.get(4));
        assertTrue(m.get(5).startsWith("DefaultHttpContent content=hello success"), m.get(5));
        assertTrue(m.get(6).startsWith("DefaultLastHttpContent content= success") && m.get(6).contains("X-Trailer = String [t]"),
                m.get(6));
        assertTrue(m.get(7).startsWith("DefaultHttpRequest HEAD(shared) /last"), m.get(7));
        assertTrue(m.get(8).contains("(EMPTY_LAST_CONTENT)"), m.get(8));
        assertEquals(List.of(false, false, false, true), fast.headAnswers());
        assertEquals(decode(false, stream).messages(), m);
    }

    @Test
    void shouldDecodeRequestsWithBodiesFollowedByABodilessRequestInTheSameBuffer() {
        for (String withBody : WITH_BODY) {
            String stream = withBody + FAST.get(15) + withBody + FAST.get(1);
            Decoded fast = decode(true, stream);
            assertEquals(2, fast.fastRequests(), () -> escape(stream));
            assertEquals(decode(false, stream).messages(), fast.messages(), () -> escape(stream));
        }
    }

    @Test
    void shouldStillRefuseARequestLineLongerThanTheLimitAsNettyDoes() {
        String atLimit = "GET /" + "a".repeat(MAX_LINE - "GET / HTTP/1.1".length()) + " HTTP/1.1\r\nHost: h\r\n\r\n";
        assertEquals(1, decode(true, atLimit).fastRequests(), "a request line of exactly the limit is accepted");
        String over = atLimit.replace("/a", "/aa");
        for (String stream : List.of(over, FAST.get(0) + over)) {
            Decoded fast = decode(true, stream);
            String refused = fast.messages().get(fast.messages().size() - 1);
            assertTrue(refused.contains("failure " + TooLongHttpLineException.class.getSimpleName()), refused);
            assertEquals(decode(false, stream).messages(), fast.messages());
        }
    }

    @Test
    void shouldStillRefuseFieldLinesLargerThanTheLimitAsNettyDoes() {
        int maxHeader = 256;
        String line = "X-Padding: " + "p".repeat(maxHeader - "X-Padding: ".length() - "Host: h".length()); // + CRLFs
        String atLimit = "GET / HTTP/1.1\r\nHost: h\r\n" + line + "\r\n\r\n";
        Decoded accepted = decode(true, atLimit, new int[0], true, MAX_LINE, maxHeader);
        assertEquals(1, accepted.fastRequests(), "field lines of exactly the limit are accepted");
        String over = atLimit.replace("X-Padding: p", "X-Padding: pp");
        for (String stream : List.of(over, FAST.get(0) + over)) {
            Decoded fast = decode(true, stream, new int[0], true, MAX_LINE, maxHeader);
            String refused = fast.messages().get(fast.messages().size() - 1);
            assertTrue(refused.contains("failure " + TooLongHttpHeaderException.class.getSimpleName()), refused);
            assertEquals(decode(false, stream, new int[0], true, MAX_LINE, maxHeader).messages(), fast.messages());
        }
    }

    @Test
    void shouldStillRefuseLeadingEmptyLinesThatNettyCannotSkipWithinItsLineLimit() {
        String request = "\r\n".repeat(8) + "GET / HTTP/1.1\r\n\r\n"; // 16 bytes of CRLF, a 14-byte request line
        assertEquals(1, decode(true, request, new int[0], false, 17, MAX_HEADER).fastRequests(), "skipped within 17");
        for (int limit : new int[] {16, 14}) {
            Decoded fast = decode(true, request, new int[0], false, limit, MAX_HEADER);
            Decoded netty = decode(false, request, new int[0], false, limit, MAX_HEADER);
            assertTrue(netty.messages().get(0).contains("failure " + TooLongHttpLineException.class.getSimpleName()),
                    netty.messages().get(0));
            assertEquals(netty.messages(), fast.messages());
        }
    }

    @Test
    void shouldStillRefuseTooManyFieldsAndMalformedHeadsBeforeAnyDecoding() {
        for (String stream : List.of(FAST.get(0) + "GET / HTTP/1.1\r\nHost: h\r\n" + manyFields(MAX_FIELDS) + "\r\n",
                FAST.get(0) + "GET / HTTP/1.1\r\nHost : h\r\n\r\n", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n")) {
            Decoded fast = decode(true, stream);
            String refused = fast.messages().get(fast.messages().size() - 1);
            assertTrue(refused.contains("failure " + StrictRequestDecoder.Refusal.class.getSimpleName()), refused);
            assertEquals(decode(false, stream).messages(), fast.messages());
        }
    }
}
