package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * Sluice's own error replies (CONTRACT.md section 5): a status and a JSON body
 * {@code {"error": "<code>", "message": "..."}}. Bodies are encoded once into read-only shared buffers, so a
 * reply costs a response object and a buffer duplicate.
 */
public enum LocalReply {
    BAD_REQUEST(400, "bad_request", "The request is malformed."),
    NO_ROUTE(404, "no_route", "No route matches this request."),
    REQUEST_TIMEOUT(408, "request_timeout", "The request was not received in time."),
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "The request body is larger than this route allows."),
    URI_TOO_LONG(414, "uri_too_long", "The request line is too long."),
    EXPECTATION_FAILED(417, "expectation_failed", "Only the 100-continue expectation is supported."),
    HEADER_TOO_LARGE(431, "header_too_large", "The request header section is too large."),
    NOT_IMPLEMENTED(501, "not_implemented", "The transfer coding is not supported."),
    UPSTREAM_CONNECT_FAILURE(502, "upstream_connect_failure", "The backend could not be reached."),
    UPSTREAM_RESET(502, "upstream_reset", "The backend closed the connection before answering."),
    UPSTREAM_BAD_RESPONSE(502, "upstream_bad_response", "The backend sent a malformed response."),
    NO_HEALTHY_BACKEND(503, "no_healthy_backend", "No healthy backend is available."),
    OVERLOADED(503, "overloaded", "The cluster is at its connection or pending-request limit."),
    UPSTREAM_TIMEOUT(504, "upstream_timeout", "The backend did not answer in time."),
    HTTP_VERSION_NOT_SUPPORTED(505, "http_version_not_supported", "Only HTTP/1.0 and HTTP/1.1 are supported.");

    private final HttpResponseStatus status;
    private final String code;
    private final ByteBuf body;

    LocalReply(int status, String code, String message) {
        this.status = HttpResponseStatus.valueOf(status);
        this.code = code;
        this.body = Unpooled.unreleasableBuffer(Unpooled.unmodifiableBuffer(
                Unpooled.copiedBuffer(json(code, message), StandardCharsets.UTF_8)));
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The {@code error} code of the JSON body. */
    public String code() {
        return code;
    }

    /** A new response carrying this reply; {@code close} adds {@code Connection: close}. */
    public FullHttpResponse newResponse(boolean close) {
        return jsonResponse(status, body.duplicate(), close);
    }

    /** A JSON response with the given body, which the response takes ownership of. */
    public static FullHttpResponse jsonResponse(HttpResponseStatus status, ByteBuf body, boolean close) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    /** {@code {"error":"<code>","message":"<message>"}} with JSON string escaping. */
    public static String json(String code, String message) {
        return "{\"error\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
