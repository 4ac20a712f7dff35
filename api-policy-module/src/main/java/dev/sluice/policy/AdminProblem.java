package dev.sluice.policy;

/**
 * A refused admin request: its HTTP status, error code and a sentence for the user. Thrown and caught only on
 * the admin thread, where it becomes {@code {"error": code, "message": message}}.
 */
final class AdminProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    AdminProblem(int status, String code, String message) {
        super(message, null, false, false); // no stack trace: this is an answer, not a failure
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
