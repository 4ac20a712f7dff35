package dev.sluice.core.proxy;

import dev.sluice.core.proxy.DecoderComparison.Decoded;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.core.proxy.DecoderComparison.MAX_FIELDS;
import static dev.sluice.core.proxy.DecoderComparison.MAX_HEADER;
import static dev.sluice.core.proxy.DecoderComparison.MAX_LINE;
import static dev.sluice.core.proxy.DecoderComparison.assertSameAsNetty;
import static dev.sluice.core.proxy.DecoderComparison.decode;
import static dev.sluice.core.proxy.DecoderComparison.escape;
import static dev.sluice.core.proxy.DecoderComparison.everyPiece;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path of {@link StrictRequestDecoder} (heads without a body, framed by {@code Content-Length} or chunked)
 * against
 * the same decoder with the fast path off (every head parsed by Netty): the same messages in the same order, field
 * for field and body part for body part, however the bytes are split into reads and whatever requests share a
 * buffer; and Netty's refusals for heads beyond its limits.
 */
class ScannedRequestDecodingTest {

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

    /** Requests that Netty decodes: fields the decoder must handle itself, a transfer coding before chunked. */
    private static final List<String> NETTY = List.of(
            "GET /underscore HTTP/1.1\r\nHost: h\r\nX_Forwarded_For: 10.0.0.1\r\nX-Kept: k\r\n\r\n",
            "GET /websocket-hixie-76 HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                    + "sec-websocket-key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U",
            "GET /websocket-key1-only HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key1: 1\r\n\r\n",
            "POST /coding-list HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

    /**
     * Requests with a body, interleaved with bodiless ones: the fast path builds them too, and cuts their bodies into
     * the parts Netty would.
     */
    private static final List<String> WITH_BODY = List.of(
            "POST /length HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
            "POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
            "PUT /lower-case-length HTTP/1.1\r\nHost: h\r\ncontent-length: 0\r\n\r\n",
            "POST /chunked-no-trailer HTTP/1.1\r\nHost: h\r\ntransfer-encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n",
            "POST /http10-length HTTP/1.0\r\nContent-Length: 3\r\n\r\nxyz");

    private static String manyFields(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i % 3 == 0 ? "Accept" : "X-Field-" + i).append(": value ").append(i).append("\r\n");
        }
        return b.toString();
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
        // every head but the ones NETTY holds
        int bodiless = FAST.subList(0, 12).size() + 1 + WITH_BODY.size();
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
    void shouldCutABodyFramedByContentLengthIntoThePartsNettyWould() {
        String small = "POST /zeros HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\nsevenb!"
                + "PUT /empty HTTP/1.1\r\nHost: h\r\nContent-Length:  0 \r\n\r\n" + FAST.get(0);
        for (int cut = 0; cut < small.length(); cut++) {
            Decoded fast = assertSameAsNetty(small, cut == 0 ? new int[0] : new int[] {cut}, cut % 2 == 0);
            assertEquals(3, fast.fastRequests(), "cut at " + cut);
        }
        // longer than one content part may be (64 KiB): Netty cuts it, and so must the fast path
        String large = "POST /large HTTP/1.1\r\nHost: h\r\nContent-Length: 140000\r\n\r\n" + "b".repeat(140_000)
                + FAST.get(1);
        assertSameAsNettyInReadsAroundOnePart(large, 2);
        List<String> whole = decode(true, large).messages();
        assertEquals(6, whole.size(), "head, two full parts, the rest as the last part, then the next request's two");
        assertTrue(whole.get(1).startsWith("DefaultHttpContent content=" + "b".repeat(65_536) + " success"));
        assertTrue(whole.get(3).startsWith("DefaultLastHttpContent content=" + "b".repeat(140_000 - 2 * 65_536)));
    }

    /**
     * Decodes {@code stream} in reads of 1 MiB, of exactly one content part (64 KiB), of a part and a bit, and of
     * 4 KiB, each as Netty's decoder does, with {@code fastRequests} requests taking the fast path.
     */
    private static void assertSameAsNettyInReadsAroundOnePart(String stream, int fastRequests) {
        for (int piece : new int[] {1 << 20, 65_536, 70_001, 4_096}) {
            Decoded fast = assertSameAsNetty(stream, everyPiece(stream.length(), piece), piece % 2 == 0);
            assertEquals(fastRequests, fast.fastRequests(), "pieces of " + piece);
        }
    }

    /** A chunked body with every part of the framing: extensions, several chunks, trailers Netty keeps and drops. */
    private static final String CHUNKED = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked \r\n\r\n"
            + "5;name=value;q=\"a b\"\r\nhello\r\n"
            + "1\r\n \r\n"
            + "00a\r\nworld, and\r\n"
            + "0;last\r\n"
            + "X-Checksum:  abc\t\r\nContent-Length: 16\r\nTrailer: X\r\nAccept: \u00e9\r\n\r\n";

    @Test
    void shouldDecodeAChunkedBodyAsNettyDoesHoweverTheBytesAreSplit() {
        String stream = CHUNKED + FAST.get(0) + CHUNKED.replace("Accept: \u00e9\r\n", "") + FAST.get(1);
        for (int cut = 0; cut < stream.length(); cut++) {
            Decoded fast = assertSameAsNetty(stream, cut == 0 ? new int[0] : new int[] {cut}, cut % 2 == 0);
            assertEquals(4, fast.fastRequests(), "cut at " + cut);
        }
        for (int piece = 1; piece <= 9; piece++) {
            assertEquals(4, assertSameAsNetty(stream, everyPiece(stream.length(), piece), piece % 2 == 1)
                    .fastRequests());
        }
        List<String> m = decode(true, CHUNKED).messages();
        assertEquals(5, m.size(), () -> String.join("\n", m));
        assertTrue(m.get(1).startsWith("DefaultHttpContent content=hello success"), m.get(1));
        assertTrue(m.get(3).startsWith("DefaultHttpContent content=world, and success"), m.get(3));
        assertTrue(m.get(4).contains("X-Checksum = String [abc]") && m.get(4).contains("AsciiString(shared) Accept = String [")
                && !m.get(4).contains("Content-Length") && !m.get(4).contains("Trailer ="), m.get(4));
        String noTrailers = "POST /n HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n";
        assertTrue(decode(true, noTrailers).messages().get(2).contains("(EMPTY_LAST_CONTENT)"));
    }

    @Test
    void shouldCutALargeChunkIntoThePartsNettyWould() {
        String large = "PUT /large HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(140_000) + "\r\n" + "c".repeat(140_000) + "\r\n0\r\n\r\n" + FAST.get(2);
        assertSameAsNettyInReadsAroundOnePart(large, 2);
        List<String> whole = decode(true, large).messages();
        assertEquals(7, whole.size(), "head, three parts of at most 64 KiB, the last part, the next request's two");
        assertTrue(whole.get(1).startsWith("DefaultHttpContent content=" + "c".repeat(65_536) + " success"));
        assertTrue(whole.get(3).startsWith("DefaultHttpContent content=" + "c".repeat(140_000 - 2 * 65_536) + " "));
    }

    @Test
    void shouldRefuseBrokenChunkFramingWithoutPassingOnAnyPartOfTheReadThatHeldIt() {
        String head = "POST /broken HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (String body : List.of("5\r\nhelloXX0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "2\r\nab\r\n-1\r\n",
                "2\r\nab\r\n0\r\nBad Name: v\r\n\r\n", "2\nab\r\n0\r\n\r\n")) {
            String stream = head + body + FAST.get(0);
            for (int cut = 0; cut < stream.length(); cut += 3) {
                Decoded fast = assertSameAsNetty(stream, cut == 0 ? new int[0] : new int[] {cut}, cut % 2 == 0);
                String refused = fast.messages().get(fast.messages().size() - 1);
                assertTrue(refused.startsWith("DefaultLastHttpContent") && refused.contains("failure "
                        + StrictRequestDecoder.Refusal.class.getSimpleName()), refused);
            }
            List<String> whole = decode(true, stream).messages();
            assertEquals(2, whole.size(), () -> escape(stream) + ": the head and the refusal, no data of that read");
        }
    }

    @Test
    void shouldRefuseAChunkSizeLineLongerThanTheRequestLineLimit() {
        int maxLine = 40;
        String head = "POST /zeros HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        String atLimit = head + "0".repeat(maxLine - 1) + "2\r\nab\r\n0\r\n\r\n";
        Decoded accepted = decode(true, atLimit, new int[0], true, maxLine, MAX_HEADER);
        assertEquals(3, accepted.messages().size(), () -> String.join("\n", accepted.messages()));
        String over = atLimit.replace("02\r\n", "002\r\n");
        for (boolean fastPath : new boolean[] {true, false}) {
            List<String> m = decode(fastPath, over, new int[0], true, maxLine, MAX_HEADER).messages();
            assertTrue(m.get(1).contains("failure " + StrictRequestDecoder.Refusal.class.getSimpleName()), m.get(1));
        }
    }

    @Test
    void shouldRefuseATrailerSectionBeyondTheHeaderLimitAsNettyDoes() {
        int maxHeader = 64;
        String head = "POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"; // field lines: 33 bytes
        String trailer = "X-T: " + "t".repeat(maxHeader - 33 - 5);
        String atLimit = head + "2\r\nab\r\n0\r\n" + trailer + "\r\n\r\n";
        Decoded accepted = assertSameAsNetty(atLimit, new int[0], true, MAX_LINE, maxHeader);
        assertEquals(1, accepted.fastRequests());
        assertTrue(accepted.messages().get(2).contains("X-T = String [t"), accepted.messages().get(2));
        String over = atLimit.replace("X-T: t", "X-T: tt");
        String endless = head + "2\r\nab\r\n0\r\nX-T: " + "t".repeat(10_000);
        for (String stream : List.of(over, endless)) {
            for (int piece : new int[] {1 << 20, 7}) {
                int[] cuts = everyPiece(stream.length(), piece);
                List<String> fast = decode(true, stream, cuts, true, MAX_LINE, maxHeader).messages();
                List<String> netty = decode(false, stream, cuts, true, MAX_LINE, maxHeader).messages();
                // the same parts; Netty's refusal names its exception, the fast path's the reply
                assertEquals(netty.subList(0, 2), fast.subList(0, 2));
                assertEquals(3, fast.size(), () -> String.join("\n", fast));
                assertTrue(netty.get(2).contains("failure " + TooLongHttpHeaderException.class.getSimpleName()),
                        netty.get(2));
                assertTrue(fast.get(2).contains("failure " + StrictRequestDecoder.Refusal.class.getSimpleName()),
                        fast.get(2));
            }
        }
    }

    @Test
    void shouldLeaveToNettyATransferEncodingOnAnOlderVersionOrBesideAContentLength() {
        for (String request : List.of(
                "POST /old HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /both HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
                "POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /identity HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n")) {
            assertEquals(0, assertSameAsNetty(request, new int[0], true).fastRequests(), () -> escape(request));
        }
    }

    @Test
    void shouldDecodeABodilessRequestFollowedByRequestsWithBodiesInTheSameBuffer() {
        String stream = FAST.get(0) + WITH_BODY.get(0) + WITH_BODY.get(1) + "HEAD /last HTTP/1.1\r\nHost: h\r\n\r\n";
        Decoded fast = decode(true, stream);
        assertEquals(4, fast.fastRequests(), "every request");
        List<String> m = fast.messages();
        assertEquals(9, m.size(), () -> String.join("\n", m));
        assertTrue(m.get(0).startsWith("HttpRequest GET(shared) / HTTP/1.1(shared) success"), m.get(0));
        assertTrue(m.get(1).contains("(EMPTY_LAST_CONTENT)"), m.get(1));
        assertTrue(m.get(2).startsWith("HttpRequest POST(shared) /length"), m.get(2));
        assertTrue(m.get(3).startsWith("DefaultLastHttpContent content=hello success trailers (shared)"), m.get(3));
        assertTrue(m.get(4).startsWith("HttpRequest POST(shared) /chunked"), m.get(4));
        assertTrue(m.get(5).startsWith("DefaultHttpContent content=hello success"), m.get(5));
        assertTrue(m.get(6).startsWith("DefaultLastHttpContent content= success") && m.get(6).contains("X-Trailer = String [t]"),
                m.get(6));
        assertTrue(m.get(7).startsWith("HttpRequest HEAD(shared) /last"), m.get(7));
        assertTrue(m.get(8).contains("(EMPTY_LAST_CONTENT)"), m.get(8));
        assertEquals(List.of(false, false, false, true), fast.headAnswers());
        assertEquals(decode(false, stream).messages(), m);
    }

    @Test
    void shouldDecodeRequestsWithBodiesFollowedByABodilessRequestInTheSameBuffer() {
        for (String withBody : WITH_BODY) {
            String stream = withBody + FAST.get(15) + withBody + FAST.get(1);
            Decoded fast = decode(true, stream);
            assertEquals(4, fast.fastRequests(), () -> escape(stream));
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
