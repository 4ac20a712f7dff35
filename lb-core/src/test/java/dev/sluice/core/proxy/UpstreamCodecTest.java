package dev.sluice.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new UpstreamCodec(new HttpDecoderConfig()));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private HttpResponse answer(String response) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        for (Object sent; (sent = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(sent);
        }
        channel.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII));
        return channel.readInbound();
    }

    private LastHttpContent lastPart() {
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            if (msg instanceof LastHttpContent last) {
                return last;
            }
            ReferenceCountUtil.release(msg);
        }
        throw new AssertionError("no last part decoded");
    }

    @Test
    void shouldKeepTheStatusLineAndFieldNamesAsTheBackendSentThem() {
        HttpResponse head = answer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nserver: x\r\nX-Custom: 1\r\n\r\n");
        assertEquals(HttpVersion.HTTP_1_1, head.protocolVersion());
        assertEquals(404, head.status().code());
        assertEquals("Not Found", head.status().reasonPhrase());
        Map.Entry<String, String> first = head.headers().iteratorAsString().next();
        assertEquals("Content-Length", first.getKey());
        assertEquals("server", head.headers().names().stream().filter("server"::equals).findFirst().orElseThrow());
        assertEquals("1", head.headers().get("x-custom"));
    }

    @Test
    void shouldKeepAReasonPhraseOtherThanTheStandardOne() {
        HttpResponse head = answer("HTTP/1.0 200 Fine\r\nContent-Length: 0\r\n\r\n");
        assertEquals(HttpVersion.HTTP_1_0, head.protocolVersion());
        assertEquals(200, head.status().code());
        assertEquals("Fine", head.status().reasonPhrase());
    }

    @Test
    void shouldGiveABodyFramedByContentLengthNoTrailers() {
        answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        LastHttpContent last = lastPart();
        assertEquals("hello", last.content().toString(StandardCharsets.US_ASCII));
        assertTrue(last.trailingHeaders().isEmpty());
        last.release();
    }

    @Test
    void shouldCollectTheTrailersOfAChunkedBody() {
        answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 42\r\n\r\n");
        LastHttpContent last = lastPart();
        assertEquals("42", last.trailingHeaders().get("x-sum"));
        last.release();
        // The next response on the connection, framed by length, again has none.
        answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        LastHttpContent next = lastPart();
        assertTrue(next.trailingHeaders().isEmpty());
        next.release();
    }

    @Test
    void shouldRefuseBytesNoRequestAskedFor() {
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n\r\n", StandardCharsets.US_ASCII));
        HttpResponse failed = channel.readInbound();
        assertTrue(failed.decoderResult().isFailure());
    }
}
