package dev.sluice.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One admin answer: status, content type, body text ({@code null} for no body, e.g. 204) and, for 405, the
 * methods the path allows ({@code null} otherwise). Immutable.
 */
record Reply(int status, String contentType, String body, String allow) {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    static final ObjectMapper MAPPER = new ObjectMapper();

    static Reply json(int status, Object value) {
        try {
            return new Reply(status, JSON, MAPPER.writeValueAsString(value), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON reply: " + e.getMessage(), e);
        }
    }

    static Reply text(int status, String body) {
        return new Reply(status, TEXT, body, null);
    }

    static Reply prometheus(String body) {
        return new Reply(200, PROMETHEUS, body, null);
    }

    static Reply noContent() {
        return new Reply(204, null, null, null);
    }

    static Reply error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return json(status, body);
    }
}
