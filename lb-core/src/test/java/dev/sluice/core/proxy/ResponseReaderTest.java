package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseReaderTest {

    private final ResponseReader reader = new ResponseReader(4096, ByteBufAllocator.DEFAULT);
    private final Recorder sink = new Recorder();

    /** Records what the reader delivers as text; body parts are copied and released at once. */
    private static final class Recorder implements ResponseReader.Sink {
        final List<String> events = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        boolean dechunk;
        ResponseReader reader;

        @Override
        public void onResponseHead(ResponseHead head) {
            events.add("head " + head.status + " " + head.body);
            if (dechunk) {
                reader.dechunk();
            }
        }

        @Override
        public void onResponseBody(ByteBuf part, boolean last) {
            body.append(part.toString(StandardCharsets.ISO_8859_1));
            part.release();
            if (last) {
                events.add("end");
            }
        }

        @Override
        public void onResponseFailed() {
            events.add("failed");
        }
    }

    private void read(String text) {
        reader.read(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1), sink);
    }

    @Test
    void shouldRelayABodyFramedByContentLengthAndKeepTheConnection() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
        read("world");
        assertEquals(List.of("head 200 LENGTH", "end"), sink.events);
        assertEquals("helloworld", sink.body.toString());
        assertTrue(reader.reusable());
    }

    @Test
    void shouldPassAChunkedBodyWithItsFramingAndEndAfterTheTrailers() {
        reader.requestSent(false);
        String body = "5\r\nhello\r\n0\r\nX-T: t\r\n\r\n";
        read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body.substring(0, 9));
        read(body.substring(9));
        assertEquals(List.of("head 200 CHUNKED", "end"), sink.events);
        assertEquals(body, sink.body.toString());
        assertTrue(reader.reusable());
    }

    @Test
    void shouldGiveOnlyTheDataOfAChunkedBodyWhenAskedTo() {
        sink.dechunk = true;
        sink.reader = reader;
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
        assertEquals(List.of("head 200 CHUNKED", "end"), sink.events);
        assertEquals("hello world", sink.body.toString());
    }

    @Test
    void shouldEndABodyDelimitedByTheCloseAndNeverReuseItsConnection() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\n\r\nsome");
        read(" more");
        reader.inputClosed(sink);
        assertEquals(List.of("head 200 CLOSE", "end"), sink.events);
        assertEquals("some more", sink.body.toString());
        assertFalse(reader.reusable());
    }

    @Test
    void shouldGiveNoBodyForHeadRequestsAnd204And304() {
        reader.requestSent(true);
        read("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n");
        reader.requestSent(false);
        read("HTTP/1.1 204 No Content\r\n\r\n");
        reader.requestSent(false);
        read("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertEquals(List.of("head 200 NONE", "end", "head 204 NONE", "end", "head 304 NONE", "end"), sink.events);
        assertTrue(reader.reusable());
    }

    @Test
    void shouldDeliverInterimResponsesBeforeTheFinalOne() {
        reader.requestSent(false);
        read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertEquals(List.of("head 100 NONE", "head 103 NONE", "head 200 LENGTH", "end"), sink.events);
        assertEquals("ok", sink.body.toString());
    }

    @Test
    void shouldGatherAHeadSplitAcrossReads() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nContent-");
        read("Length: 2\r\n");
        read("\r\nok");
        assertEquals(List.of("head 200 LENGTH", "end"), sink.events);
        assertEquals("ok", sink.body.toString());
    }

    @Test
    void shouldFailOnBytesNoRequestAskedFor() {
        read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertEquals(List.of("failed"), sink.events);
        assertFalse(reader.reusable());
    }

    @Test
    void shouldNotReuseAConnectionWhoseResponseWasFollowedByMoreBytes() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nevil!");
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno");
        assertEquals(List.of("head 200 LENGTH", "end"), sink.events);
        assertEquals("ok", sink.body.toString());
        assertFalse(reader.reusable());
    }

    @Test
    void shouldFailOnBrokenChunkedFramingAfterTheHead() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n");
        assertEquals(List.of("head 200 CHUNKED", "failed"), sink.events);
        assertFalse(reader.reusable());
    }

    @Test
    void shouldFailOnAMalformedHead() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!");
        assertEquals(List.of("failed"), sink.events);
    }

    @Test
    void shouldDeliverNothingMoreOnceStopped() {
        reader.requestSent(false);
        read("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab");
        reader.stop();
        read("cd");
        reader.inputClosed(sink);
        assertEquals(List.of("head 200 LENGTH"), sink.events);
        assertEquals("ab", sink.body.toString());
    }

    @Test
    void shouldReleaseAPartialHeadWhenTheConnectionCloses() {
        reader.requestSent(false);
        ByteBuf partial = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n", StandardCharsets.ISO_8859_1);
        reader.read(partial.retain(), sink);
        reader.inputClosed(sink);
        assertEquals(1, partial.refCnt()); // the reader's reference is gone, the test's remains
        partial.release();
        assertEquals(List.of(), sink.events);
    }
}
