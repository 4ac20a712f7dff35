package dev.sluice.core.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * A request head that {@link ScannedRequestBuilder} decoded without Netty: its method, target and version, and its
 * fields as {@link HeadFields} over the head's bytes. Owned by its connection's builder and reused: the builder
 * hands it out for one exchange and takes it back when that exchange has ended
 * ({@link ScannedRequestBuilder#recycle}), so nothing may keep it or its field map past the end of its exchange.
 *
 * <p>Confined to its connection's event loop.
 */
final class ScannedRequest implements HttpRequest {

    private final ScannedRequestBuilder owner;
    private final HeadFields fields = new HeadFields();
    private HttpMethod method;
    private String uri;
    private HttpVersion version;
    private DecoderResult result;
    /** Whether it is handed out: between the builder's build and recycle. */
    private boolean inUse;

    ScannedRequest(ScannedRequestBuilder owner) {
        this.owner = owner;
    }

    /** Starts a new head: the request line's parts; the target's text is kept when it is the same as the last one's. */
    void start(HttpMethod method, byte[] head, int targetStart, int targetLength, HttpVersion version) {
        this.method = method;
        if (uri == null || !HttpGrammar.sameText(uri, head, targetStart, targetLength)) {
            // one char per byte, as Netty's decoder makes the target of its bytes
            uri = new String(head, targetStart, targetLength, StandardCharsets.ISO_8859_1);
        }
        this.version = version;
        this.result = DecoderResult.SUCCESS;
        inUse = true;
    }

    HeadFields fields() {
        return fields;
    }

    ScannedRequestBuilder owner() {
        return owner;
    }

    /** Takes it back from its exchange; false when it was not handed out. */
    boolean release() {
        boolean was = inUse;
        inUse = false;
        return was;
    }

    @Override
    public HttpHeaders headers() {
        return fields;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    @Deprecated
    public HttpMethod getMethod() {
        return method;
    }

    @Override
    public HttpRequest setMethod(HttpMethod method) {
        this.method = method;
        return this;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    @Deprecated
    public String getUri() {
        return uri;
    }

    @Override
    public HttpRequest setUri(String uri) {
        this.uri = uri;
        return this;
    }

    @Override
    public HttpVersion protocolVersion() {
        return version;
    }

    @Override
    @Deprecated
    public HttpVersion getProtocolVersion() {
        return version;
    }

    @Override
    public HttpRequest setProtocolVersion(HttpVersion version) {
        this.version = version;
        return this;
    }

    @Override
    public DecoderResult decoderResult() {
        return result;
    }

    @Override
    @Deprecated
    public DecoderResult getDecoderResult() {
        return result;
    }

    @Override
    public void setDecoderResult(DecoderResult result) {
        this.result = result;
    }

    @Override
    public String toString() {
        return "ScannedRequest(" + method + ' ' + uri + ' ' + version + ", " + fields.size() + " fields)";
    }
}
