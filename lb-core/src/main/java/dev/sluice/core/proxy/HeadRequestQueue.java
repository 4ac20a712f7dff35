package dev.sluice.core.proxy;

/**
 * Which of a connection's requests not yet answered are HEAD requests, so the response codec knows which final
 * responses carry no body although their fields describe one: on the client side the requests decoded, on the
 * upstream side the requests sent. Requests are answered in order, so the n-th final response answers the n-th
 * request.
 *
 * <p>Confined to its connection's event loop. Keeps only the sequence numbers of pending HEAD requests, in a ring
 * that grows (rarely) past 16 pending HEAD requests; other requests cost a counter increment.
 */
final class HeadRequestQueue {

    private long decoded;
    private long answered;
    private long[] heads = new long[16];
    private int first;
    private int size;

    /** Records the next request (decoded from a client, or sent to a backend). */
    void requestDecoded(boolean head) {
        if (head) {
            if (size == heads.length) {
                grow();
            }
            heads[(first + size) & (heads.length - 1)] = decoded;
            size++;
        }
        decoded++;
    }

    /** Consumes the oldest unanswered request; returns whether it was a HEAD request. */
    boolean finalResponseStarted() {
        long seq = answered++;
        while (size > 0 && heads[first] < seq) {
            pop(); // a request that got no response through the encoder (its exchange was torn down)
        }
        if (size > 0 && heads[first] == seq) {
            pop();
            return true;
        }
        return false;
    }

    private void pop() {
        first = (first + 1) & (heads.length - 1);
        size--;
    }

    private void grow() {
        long[] bigger = new long[heads.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = heads[(first + i) & (heads.length - 1)];
        }
        heads = bigger;
        first = 0;
    }
}
