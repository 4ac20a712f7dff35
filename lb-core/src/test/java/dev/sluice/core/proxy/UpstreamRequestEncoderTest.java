package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamRequestEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new UpstreamRequestEncoder(new ResponseReader(8192, ByteBufAllocator.DEFAULT)));
    private final ForwardingFields forwarding = new ForwardingFields(new RequestIds(0));

    UpstreamRequestEncoderTest() {
        forwarding.init("192.0.2.10");
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldWriteTheForwardingFieldsAfterTheHeadsOwnOfABodilessRequest() {
        HttpRequest request = request(HttpMethod.GET, "/a");
        forwarding.prepare(request.headers());
        channel.writeOutbound(new BodilessUpstreamRequest().wraps(request, forwarding));
        assertEquals("GET /a HTTP/1.1\r\nhost: example.org\r\n" + fields(1) + "\r\n", outbound());
    }

    @Test
    void shouldWriteThemInTheHeadOfARequestWithABodyAndNotInItsTrailers() {
        HttpRequest request = request(HttpMethod.POST, "/b");
        request.headers().set("transfer-encoding", "chunked");
        forwarding.prepare(request.headers());
        channel.writeOutbound(new UpstreamHead().wraps(request, forwarding));
        assertEquals("POST /b HTTP/1.1\r\nhost: example.org\r\ntransfer-encoding: chunked\r\n" + fields(1) + "\r\n",
                outbound());
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
        last.trailingHeaders().add("x-checksum", "1");
        channel.writeOutbound(last);
        String rest = outbound();
        assertEquals("2\r\nhi\r\n0\r\nx-checksum: 1\r\n\r\n", rest);
        assertFalse(rest.contains("x-forwarded"));
    }

    @Test
    void shouldFrameAChunkedBodyWithTheBytesNettysEncoderWrites() {
        HttpHeaders trailers = new DefaultHttpHeaders().add("x-checksum", "7").add("x-more", "a b");
        for (int end = 0; end < 3; end++) {
            EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestEncoder());
            try {
                HttpRequest request = request(HttpMethod.PUT, "/chunks");
                request.headers().set("transfer-encoding", "chunked");
                channel.writeOutbound(new UpstreamHead().wraps(request, null));
                netty.writeOutbound(request);
                for (int size : new int[] {0, 1, UpstreamRequestEncoder.COPY_LIMIT, UpstreamRequestEncoder.COPY_LIMIT + 1,
                        70_000, 15, 16}) {
                    ByteBuf data = Unpooled.copiedBuffer("d".repeat(size), StandardCharsets.US_ASCII);
                    channel.writeOutbound(new DefaultHttpContent(data.retainedDuplicate()));
                    netty.writeOutbound(new DefaultHttpContent(data));
                }
                LastHttpContent last = switch (end) {
                    case 0 -> LastHttpContent.EMPTY_LAST_CONTENT;
                    case 1 -> new DefaultLastHttpContent(Unpooled.copiedBuffer("end", StandardCharsets.US_ASCII));
                    default -> {
                        LastHttpContent withTrailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                        withTrailers.trailingHeaders().set(trailers);
                        yield withTrailers;
                    }
                };
                channel.writeOutbound(last.retainedDuplicate());
                netty.writeOutbound(last);
                assertEquals(text(netty), outbound(), "ending " + end);
                // Netty's encoder is between messages again: the next request is its own
                channel.writeOutbound(request(HttpMethod.GET, "/next"));
                channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
                assertEquals("GET /next HTTP/1.1\r\nhost: example.org\r\n\r\n", outbound());
            } finally {
                netty.finishAndReleaseAll();
            }
        }
    }

    @Test
    void shouldWriteAShortChunkWithItsFramingAsOneBufferAndALongOneWithoutCopyingIt() {
        HttpRequest request = request(HttpMethod.POST, "/one");
        request.headers().set("transfer-encoding", "chunked");
        channel.writeOutbound(new UpstreamHead().wraps(request, null));
        assertTrue(outbound().startsWith("POST /one HTTP/1.1\r\n"));
        ByteBuf shortData = Unpooled.copiedBuffer("x".repeat(UpstreamRequestEncoder.COPY_LIMIT), StandardCharsets.US_ASCII);
        channel.writeOutbound(new DefaultHttpContent(shortData));
        assertEquals(1, channel.outboundMessages().size());
        assertEquals(0, shortData.refCnt(), "copied, and released");
        outbound();
        ByteBuf longData = Unpooled.copiedBuffer("y".repeat(UpstreamRequestEncoder.COPY_LIMIT + 1), StandardCharsets.US_ASCII);
        channel.writeOutbound(new DefaultLastHttpContent(longData));
        assertEquals(3, channel.outboundMessages().size(), "size line, the data itself, CRLF and the body's end");
        assertSame(longData, channel.outboundMessages().toArray()[1], "the data itself, not a copy");
        assertEquals("401\r\n" + "y".repeat(UpstreamRequestEncoder.COPY_LIMIT + 1) + "\r\n0\r\n\r\n", outbound());
    }

    @Test
    void shouldRefuseANewHeadBeforeTheEndOfAChunkedBody() {
        HttpRequest request = request(HttpMethod.POST, "/open");
        request.headers().set("transfer-encoding", "chunked");
        channel.writeOutbound(new UpstreamHead().wraps(request, null));
        channel.writeOutbound(new DefaultHttpContent(Unpooled.copiedBuffer("ab", StandardCharsets.US_ASCII)));
        assertEquals("POST /open HTTP/1.1\r\nhost: example.org\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\n",
                outbound());
        assertThrows(IllegalStateException.class, () -> channel.writeOutbound(request(HttpMethod.GET, "/next")));
        assertEquals("", outbound(), "nothing of the refused head was written");
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertEquals("0\r\n\r\n", outbound());
    }

    @Test
    void shouldWriteNoForwardingFieldsForAPlainRequest() {
        channel.writeOutbound(request(HttpMethod.GET, "/c"));
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertEquals("GET /c HTTP/1.1\r\nhost: example.org\r\n\r\n", outbound());
    }

    private static HttpRequest request(HttpMethod method, String uri) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        request.headers().set("host", "example.org");
        return request;
    }

    private static String fields(long id) {
        return "x-forwarded-for: 192.0.2.10\r\nx-forwarded-proto: http\r\nx-forwarded-host: example.org\r\n"
                + "x-request-id: " + RequestIdsTest.text(new RequestIds(0), id) + "\r\n";
    }

    /** Everything written so far, as one text. */
    private String outbound() {
        return text(channel);
    }

    /** Everything {@code ch} wrote so far, as one text. */
    private static String text(EmbeddedChannel ch) {
        StringBuilder text = new StringBuilder();
        for (Object msg = ch.readOutbound(); msg != null; msg = ch.readOutbound()) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                text.append(buf.toString(StandardCharsets.ISO_8859_1));
            } finally {
                buf.release();
            }
        }
        return text.toString();
    }
}
