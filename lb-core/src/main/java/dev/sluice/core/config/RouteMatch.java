package dev.sluice.core.config;

import java.util.Map;

/**
 * The {@code match:} of a route. Every field is optional ({@code null} or empty matches anything).
 *
 * @param host       exact host or {@code *.suffix}, compared case-insensitively, port ignored
 * @param pathPrefix the request path must start with this
 * @param method     the request method must equal this (case-sensitive, as methods are)
 * @param headers    each named header must be present with exactly this value
 */
public record RouteMatch(String host, String pathPrefix, String method, Map<String, String> headers) {

    public RouteMatch {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static RouteMatch any() {
        return new RouteMatch(null, null, null, Map.of());
    }
}
