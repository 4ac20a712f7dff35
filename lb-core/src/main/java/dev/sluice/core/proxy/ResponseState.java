package dev.sluice.core.proxy;

/** Where the response of the current exchange stands. Confined to the connection's event loop. */
final class ResponseState {
    /** The final response head went (or is going) to the client. */
    boolean started;
    /** The last part of the response went to the client. */
    boolean done;
    /** The final status, for accounting. */
    int status;
    /** A 1xx interim response is being relayed (its empty last part is still to come). */
    boolean interim;
    /** Whether the current interim response is forwarded (HTTP/1.0 clients do not get them). */
    boolean interimForwarded;
    /** The client connection closes after this response. */
    boolean closeClient;
    /** The body goes to the client chunked. */
    boolean chunkedToClient;

    void reset() {
        started = false;
        done = false;
        status = 0;
        interim = false;
        interimForwarded = false;
        closeClient = false;
        chunkedToClient = false;
    }
}
