package dev.sluice.core.proxy;

/** Where the response of the current exchange stands. Confined to the connection's event loop. */
final class ResponseState {
    /** The final response head went (or is going) to the client. */
    boolean started;
    /** The last part of the response went to the client. */
    boolean done;
    /** The final status, for accounting. */
    int status;
    /** An interim (1xx) response went to the client, so the exchange can no longer be retried elsewhere. */
    boolean interimForwarded;
    /** The client connection closes after this response. */
    boolean closeClient;
    /** The backend delimits the body by closing; Sluice sends it to the client chunked. */
    boolean chunkedBySluice;

    void reset() {
        started = false;
        done = false;
        status = 0;
        interimForwarded = false;
        closeClient = false;
        chunkedBySluice = false;
    }
}
