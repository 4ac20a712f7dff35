package dev.sluice.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The requests the decoder builds itself are reused once their exchange has ended, and only then: a request handed back
 * is built into for a later head, a request still in use keeps its own fields whatever is decoded after it.
 */
class ScannedRequestReuseTest {

    private final StrictRequestDecoder decoder = new StrictRequestDecoder(
            DecoderComparison.config(DecoderComparison.MAX_LINE, DecoderComparison.MAX_HEADER),
            DecoderComparison.MAX_FIELDS, new HeadRequestQueue());
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldBuildTheNextHeadIntoTheRequestOfAnEndedExchange() {
        HttpRequest first = decode("GET /a HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n");
        String host = first.headers().get("host");
        decoder.recycle(first);
        HttpRequest second = decode("GET /b HTTP/1.1\r\nHost: example.org\r\nX-Other: 1\r\n\r\n");
        assertSame(first, second, "the ended exchange's request is built into");
        assertEquals("/b", second.uri());
        assertEquals(2, second.headers().size());
        assertSame(host, second.headers().get("host"), "the same text at the same place: the same string");
        assertEquals("1", second.headers().get("x-other"));
        assertNull(second.headers().get("accept"), "nothing of the earlier head is left");
    }

    @Test
    void shouldKeepTheFieldsOfARequestStillInUseWhateverIsDecodedAfterIt() {
        HttpRequest first = decode("GET /a HTTP/1.1\r\nHost: first.example\r\nAccept: */*\r\n\r\n");
        HttpRequest second = decode("GET /b HTTP/1.1\r\nHost: second.example\r\n\r\n");
        HttpRequest third = decode("GET /c HTTP/1.1\r\nHost: third.example\r\nX-Long: " + "x".repeat(500) + "\r\n\r\n");
        assertNotSame(first, second);
        assertNotSame(second, third);
        assertEquals("/a", first.uri());
        assertEquals("first.example", first.headers().get("host"));
        assertEquals("*/*", first.headers().get("accept"));
        assertEquals("second.example", second.headers().get("host"));
        assertEquals(500, third.headers().get("x-long").length());
    }

    @Test
    void shouldTakeARequestBackOnlyOnce() {
        HttpRequest first = decode("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
        decoder.recycle(first);
        decoder.recycle(first);
        HttpRequest second = decode("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
        HttpRequest third = decode("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
        assertSame(first, second);
        assertNotSame(second, third, "a request handed back twice is handed out once");
        assertEquals("/b", second.uri());
    }

    @Test
    void shouldLeaveRequestsItDidNotBuildAlone() {
        // a coding before chunked: Netty decodes it (and the validator later refuses it)
        channel.writeInbound(bytes("POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"));
        HttpRequest post = channel.readInbound();
        assertFalse(post instanceof ScannedRequest);
        ReferenceCountUtil.release(channel.readInbound()); // its body
        ReferenceCountUtil.release(channel.readInbound()); // and its end
        decoder.recycle(post);
        HttpRequest next = decode("GET /n HTTP/1.1\r\nHost: h\r\n\r\n");
        assertInstanceOf(ScannedRequest.class, next);
        assertEquals("POST", post.method().name(), "the decoder's own request is untouched");
    }

    /** Decodes one bodiless head and returns its request (its empty last part is read too). */
    private HttpRequest decode(String head) {
        channel.writeInbound(bytes(head));
        HttpRequest request = channel.readInbound();
        assertInstanceOf(ScannedRequest.class, request);
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, channel.readInbound());
        return request;
    }

    private static io.netty.buffer.ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
