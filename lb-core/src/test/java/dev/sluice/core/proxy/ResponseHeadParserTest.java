package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseHeadParserTest {

    private final ResponseHeadParser parser = new ResponseHeadParser(1024);
    private final ResponseHead head = new ResponseHead();

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private int parse(ByteBuf buf) {
        head.load(buf, buf.readerIndex(), buf.readableBytes());
        return parser.parse(head);
    }

    /** The head as Sluice writes it: its status line and the fields that cross the proxy. */
    private String relayed() {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            head.writeStatusLine(out);
            head.writeFields(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void shouldPassTheStatusLineReasonAndFieldsOnAsTheBackendSentThem() {
        String text = "HTTP/1.1 200 Very Fine\r\nServer: x\r\ncontent-length: 5\r\nX-Odd-Case: A  b\r\n\r\nhello";
        ByteBuf buf = bytes(text);
        try {
            assertEquals(text.indexOf("hello"), parse(buf));
            assertEquals(200, head.status);
            assertEquals(5, head.contentLength);
            assertTrue(head.keepsConnection());
            assertEquals("HTTP/1.1 200 Very Fine\r\nServer: x\r\ncontent-length: 5\r\nX-Odd-Case: A  b\r\n", relayed());
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldAnswerAsHttp11AndNotKeepAnHttp10BackendConnection() {
        ByteBuf buf = bytes("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        try {
            assertTrue(parse(buf) > 0);
            assertFalse(head.keepsConnection());
            assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n", relayed());
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldAcceptAStatusLineWithoutReasonPhrase() {
        ByteBuf buf = bytes("HTTP/1.1 204\r\n\r\n");
        try {
            assertTrue(parse(buf) > 0);
            assertEquals(204, head.status);
            assertEquals("HTTP/1.1 204 \r\n", relayed());
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldDropHopByHopFieldsAndThoseConnectionNamesButNeverContentLength() {
        ByteBuf buf = bytes("HTTP/1.1 200 OK\r\nConnection: X-Secret, close, Content-Length\r\nKeep-Alive: timeout=5\r\n"
                + "X-Secret: s\r\nContent-Length: 2\r\nUpgrade: h2c\r\nTrailer: X-T\r\nProxy-Connection: keep-alive\r\n"
                + "TE: trailers\r\nX-Kept: k\r\n\r\nok");
        try {
            assertTrue(parse(buf) > 0);
            assertTrue(head.connectionClose);
            assertFalse(head.keepsConnection());
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Kept: k\r\n", relayed());
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldRepairObsFoldAndWhitespaceBeforeTheColon() {
        ByteBuf buf = bytes("HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nX-B : c\r\nContent-Length: 0\r\n\r\n");
        try {
            assertTrue(parse(buf) > 0);
            assertEquals("HTTP/1.1 200 OK\r\nX-A: a   b\r\nX-B: c\r\nContent-Length: 0\r\n", relayed());
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldRecogniseChunkedFramingAndLeaveTheFieldToSluice() {
        ByteBuf buf = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nX-A: a\r\n\r\n");
        try {
            assertTrue(parse(buf) > 0);
            assertTrue(head.chunked);
            assertEquals("HTTP/1.1 200 OK\r\nX-A: a\r\n", relayed());
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldAskForMoreUntilTheHeadEndsAndRefuseAHeadPastTheLimit() {
        ByteBuf partial = bytes("HTTP/1.1 200 OK\r\nContent-Len");
        ByteBuf huge = bytes("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n");
        ByteBuf hugeSoFar = bytes("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(1100));
        try {
            assertEquals(ResponseHeadParser.NEED_MORE, parse(partial));
            assertEquals(ResponseHeadParser.MALFORMED, parse(huge));
            assertEquals(ResponseHeadParser.MALFORMED, parse(hugeSoFar));
        } finally {
            partial.release();
            huge.release();
            hugeSoFar.release();
        }
    }

    @Test
    void shouldRefuseAHeadWithMoreFieldsThanTheLimit() {
        ResponseHeadParser roomy = new ResponseHeadParser(64 * 1024);
        ByteBuf atLimit = bytes("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(ResponseHead.MAX_FIELDS) + "\r\n");
        ByteBuf pastLimit = bytes("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(ResponseHead.MAX_FIELDS + 1) + "\r\n");
        try {
            head.load(atLimit, 0, atLimit.readableBytes());
            assertTrue(roomy.parse(head) > 0);
            head.load(pastLimit, 0, pastLimit.readableBytes());
            assertEquals(ResponseHeadParser.MALFORMED, roomy.parse(head));
        } finally {
            atLimit.release();
            pastLimit.release();
        }
    }

    @Test
    void shouldGiveFiltersTheFieldsThatCrossTheProxy() {
        ByteBuf buf = bytes("HTTP/1.1 503 Busy\r\nConnection: keep-alive\r\nRetry-After: 5\r\nX-A: a\r\n b\r\n\r\n");
        try {
            assertTrue(parse(buf) > 0);
            HttpResponse response = head.toHttpResponse();
            assertEquals(503, response.status().code());
            assertEquals("Busy", response.status().reasonPhrase());
            assertEquals("5", response.headers().get("retry-after"));
            assertEquals("a   b", response.headers().get("x-a"));
            assertFalse(response.headers().contains("connection"));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\rSet-Cookie: evil=1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty-name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX@A: a\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded-first\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n 3\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        "HTTP/1.1 2OO OK\r\n\r\n",
        "HTTP/1.1 999 Odd\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTX/1.1 200 OK\r\n\r\n",
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 200 O\u0001K\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\n",
    })
    void shouldRefuseAHeadThatCouldSmuggleOrIsMalformed(String text) {
        ByteBuf buf = bytes(text);
        try {
            assertEquals(ResponseHeadParser.MALFORMED, parse(buf), text);
        } finally {
            buf.release();
        }
    }
}
