package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        StringBuilder text = new StringBuilder();
        for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
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
