package dev.sluice.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.HostPort;

import java.util.Iterator;
import java.util.Set;

/**
 * Strict reading of a request body: a JSON object with only known fields of the right types. Every failure
 * is an {@link ApiException} 400 whose message says which field is wrong and why. Admin worker thread only.
 */
final class JsonBody {

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** Parses {@code text} as a JSON object whose field names are all in {@code allowed}. */
    static JsonBody parse(String text, Set<String> allowed) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("the request needs a JSON object body with fields " + allowed);
        }
        JsonNode node;
        try {
            node = Reply.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object with fields " + allowed);
        }
        return of(node, allowed, "");
    }

    /** Wraps an object node nested in a body; {@code where} prefixes error messages (e.g. "backends[0]."). */
    static JsonBody of(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw ApiException.badRequest(where + " must be a JSON object with fields " + allowed);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown field '" + where + name + "'; expected one of " + allowed);
            }
        }
        return new JsonBody(node);
    }

    boolean has(String field) {
        return root.has(field) && !root.get(field).isNull();
    }

    JsonNode node(String field) {
        return root.get(field);
    }

    String text(String field, String where) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.badRequest("field '" + where + field + "' is required");
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("field '" + where + field + "' must be a string, not " + n.getNodeType().name().toLowerCase());
        }
        return n.textValue();
    }

    /** An optional positive int field; {@code fallback} when absent. */
    Integer weight(String field, Integer fallback, String where) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
            throw ApiException.badRequest("field '" + where + field + "' must be a positive integer, not " + n);
        }
        return n.intValue();
    }

    HostPort address(String field, String where) {
        String text = text(field, where);
        try {
            HostPort hp = HostPort.parse(text);
            if (hp.port() == 0) {
                throw new IllegalArgumentException("port 0 is not a backend port");
            }
            return hp;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field '" + where + field + "': " + e.getMessage());
        }
    }
}
