package dev.sluice.admin.api;

/**
 * An admin request that cannot be served as asked: carries the HTTP status and the stable error code of the
 * JSON error body {@code {"error": code, "message": message}}. Thrown and caught on the admin worker thread only;
 * no stack trace is filled in, as it is an answer, not a fault.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String allow;

    private ApiException(int status, String code, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.allow = allow;
    }

    ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    /** 405 with the {@code Allow} header listing {@code allowed}. */
    static ApiException methodNotAllowed(String method, String path, String allowed) {
        return new ApiException(405, "method_not_allowed", method + " is not allowed on " + path + "; use " + allowed, allowed);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Reply toReply() {
        Reply r = Reply.error(status, code, getMessage());
        return allow == null ? r : new Reply(r.status(), r.contentType(), r.body(), allow);
    }
}
