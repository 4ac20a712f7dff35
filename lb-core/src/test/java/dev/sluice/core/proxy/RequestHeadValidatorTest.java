package dev.sluice.core.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link RequestHeadValidator}'s framing rules on heads built directly, whatever decoder would have produced them:
 * the proxy-level corpus ({@code SmugglingCorpusTest}) sees only what gets past the decoder first.
 */
class RequestHeadValidatorTest {

    @Test
    void shouldRefuseTransferEncodingBeforeHttp11() {
        HttpRequest old = chunked(HttpVersion.HTTP_1_0);
        old.headers().set("host", "h");
        assertEquals(LocalReply.BAD_REQUEST, RequestHeadValidator.check(old));
        assertNull(RequestHeadValidator.check(chunked(HttpVersion.HTTP_1_1)), "the same head on HTTP/1.1 is fine");
    }

    @Test
    void shouldRefuseTransferEncodingBesideContentLengthOrTwice() {
        HttpRequest both = chunked(HttpVersion.HTTP_1_1);
        both.headers().set("content-length", "3");
        assertEquals(LocalReply.BAD_REQUEST, RequestHeadValidator.check(both));
        HttpRequest twice = chunked(HttpVersion.HTTP_1_1);
        twice.headers().add("transfer-encoding", "chunked");
        assertEquals(LocalReply.BAD_REQUEST, RequestHeadValidator.check(twice));
        HttpRequest coding = chunked(HttpVersion.HTTP_1_1);
        coding.headers().set("transfer-encoding", "gzip, chunked");
        assertEquals(LocalReply.NOT_IMPLEMENTED, RequestHeadValidator.check(coding));
    }

    private static HttpRequest chunked(HttpVersion version) {
        HttpRequest req = new DefaultHttpRequest(version, HttpMethod.POST, "/upload");
        req.headers().set("host", "h").set("transfer-encoding", "chunked");
        return req;
    }
}
