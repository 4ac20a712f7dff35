package dev.sluice.core.filter;

/**
 * Admin API routes a filter module adds (for example the policy module's {@code /api/v1/consumers}).
 * The admin server hands every request whose path starts with {@link #pathPrefix()} to {@link #handle},
 * after authentication, on the admin thread: never on a data-plane event loop, so an endpoint may do file I/O.
 */
public interface AdminEndpoint {

    /** The path prefix this endpoint owns, e.g. {@code /api/v1/consumers}. */
    String pathPrefix();

    /**
     * Answers one admin request.
     *
     * @param method upper-case HTTP method
     * @param path   the request path without the query
     * @param body   the request body as text, or {@code null} when there is none
     * @return the status and JSON body; errors use {@code {"error": "<code>", "message": "..."}}
     */
    AdminReply handle(String method, String path, String body);

    /** A reply: HTTP status and a JSON body ({@code null} for no body, e.g. 204). */
    record AdminReply(int status, String jsonBody) {
    }
}
