package dev.sluice.core.proxy;

import dev.sluice.core.proxy.ExchangeRetries.RetryReason;
import dev.sluice.core.stats.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The current attempt's hold on an upstream connection, and what follows from what that connection reports.
 * While held, the connection reports here: response heads, body parts and read cycles go on to the
 * {@link ResponseRelay}, writability to the {@link RequestBodyForwarder}; a connection let go of may still report,
 * and is not listened to. A failure (the connection closed, a malformed response, the response timeout, a final
 * status the cluster retries) ends the attempt as the backend's fault and closes the connection; then, while no
 * response byte reached the client, the same request head goes to another backend when no body byte left and
 * {@link ExchangeRetries} allows it, else the client gets Sluice's reply; once the response started, the client
 * can only be disconnected. When the exchange ends, the connection goes back to its pool or is closed.
 *
 * <p>Confined to the connection's event loop, which is also the upstream connection's; one instance per client
 * connection whose fields are reset between exchanges ({@link #reset}), so it allocates nothing. Local replies and
 * ending the exchange go back to the {@link FrontendHandler}.
 */
final class UpstreamLease {

    private final FrontendHandler owner;
    private final CurrentExchange exchange;
    private final UpstreamAttempts attempts;
    private final ExchangeRetries retries;
    private final RequestBodyForwarder body;
    private final ResponseRelay relay;
    private ChannelHandlerContext ctx;
    /** The pool of the current attempt's connection, which goes back there when the exchange ends well. */
    private UpstreamPool pool;
    private UpstreamHandler upstream;
    /** The connection must not be kept: its framing no longer matches the exchange's. */
    private boolean upstreamEnded;

    UpstreamLease(FrontendHandler owner, CurrentExchange exchange, UpstreamAttempts attempts, ExchangeRetries retries,
                  RequestBodyForwarder body, ResponseRelay relay) {
        this.owner = owner;
        this.exchange = exchange;
        this.attempts = attempts;
        this.retries = retries;
        this.body = body;
        this.relay = relay;
    }

    /** Binds the client connection once it is active. */
    void init(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Holds {@code connection}, from {@code pool}, for the current attempt; it reports here from now on. */
    void hold(UpstreamPool pool, UpstreamHandler connection, boolean reused) {
        this.pool = pool;
        upstream = connection;
        upstreamEnded = false;
        connection.attach(this, reused);
    }

    /** The current attempt's connection, or {@code null}. */
    UpstreamHandler connection() {
        return upstream;
    }

    /** The connection is closed when the exchange ends, whatever it says of itself. */
    void discardAfter() {
        upstreamEnded = true;
    }

    // ---- what the connection reports ------------------------------------------------------------------

    /** A backend's response head (interim or final). */
    void onResponseHead(UpstreamHandler from, ResponseHead head) {
        if (from == upstream) {
            relay.onHead(from, head, owner.draining());
        }
    }

    /** Part of the final response's body; {@code last} ends the response. */
    void onResponseBody(UpstreamHandler from, ByteBuf part, boolean last) {
        if (from != upstream) {
            part.release();
            return;
        }
        relay.onBody(part, last);
    }

    /** End of an upstream read cycle: the relay flushes and decides whether the upstream reads on. */
    void onUpstreamReadComplete() {
        relay.onUpstreamReadComplete(upstream);
    }

    void onUpstreamWritabilityChanged(boolean writable) {
        body.onUpstreamWritabilityChanged(writable);
    }

    /** The backend broke the protocol (a malformed head, broken chunked framing, bytes nobody asked for). */
    void onResponseFailed(UpstreamHandler from) {
        if (from == upstream) {
            failUpstreamResponse();
        }
    }

    void onUpstreamClosed(UpstreamHandler from) {
        if (from != upstream) {
            return;
        }
        attempts.endAttempt(true);
        if (relay.started()) {
            // Truncated response: the client cannot be told, only disconnected.
            upstream = null;
            exchange.cluster().counters().increment(Counter.UPSTREAM_RESETS);
            ctx.close();
            return;
        }
        exchange.cluster().counters().increment(Counter.UPSTREAM_RESETS);
        if (mayRetry(RetryReason.RESET, 0)) {
            retry();
            return;
        }
        upstream = null;
        owner.replyLocally(LocalReply.UPSTREAM_RESET, !exchange.requestDone());
    }

    private void failUpstreamResponse() {
        UpstreamHandler u = upstream;
        upstream = null;
        attempts.endAttempt(true);
        if (u != null) {
            u.close();
        }
        if (relay.started()) {
            ctx.close();
        } else {
            owner.replyLocally(LocalReply.UPSTREAM_BAD_RESPONSE, !exchange.requestDone());
        }
    }

    // ---- failures and retries --------------------------------------------------------------------------

    /** Whether the request may be sent again: never once a body byte left; the rest {@link ExchangeRetries} decides. */
    boolean mayRetry(RetryReason reason, int status) {
        if (body.bodySent() || (exchange.requestHasBody() && exchange.requestDone())) {
            return false;
        }
        return retries.mayRetry(reason, status, exchange.request().method(), upstream != null && upstream.isReused());
    }

    /** The attempt failed and may be retried: the same request head goes to another backend. */
    void retry() {
        upstream = null;
        attempts.retry();
    }

    /**
     * A final 5xx listed for retries before any response byte reached the client: when the request may be
     * retried, the attempt failed, its connection is closed (its unread body makes it unusable; closing is simpler
     * than draining, and retried 5xx are rare), and the same request head, X-Request-Id included, goes to another
     * backend.
     *
     * @return whether the request was retried (the response is then not relayed)
     */
    boolean retryOnStatus(int status) {
        if (!retries.listsStatus(status) || !mayRetry(RetryReason.STATUS, status)) {
            return false;
        }
        UpstreamHandler u = upstream;
        upstream = null;
        attempts.endAttempt(true);
        u.close();
        retry();
        return true;
    }

    /** The response deadline passed while connecting or forwarding. */
    void onResponseTimeout() {
        exchange.cluster().counters().increment(Counter.UPSTREAM_TIMEOUTS);
        if (relay.started()) {
            abort(true);
            ctx.close();
            return;
        }
        abort(true);
        if (mayRetry(RetryReason.TIMEOUT, 0)) {
            retry();
        } else {
            owner.replyLocally(LocalReply.UPSTREAM_TIMEOUT, !exchange.requestDone());
        }
    }

    /** Closes the upstream connection of a broken exchange; it never goes back to the pool. */
    void abort(boolean backendFault) {
        attempts.abandonConnect();
        attempts.endAttempt(backendFault);
        UpstreamHandler u = upstream;
        upstream = null;
        if (u != null) {
            u.close();
        }
    }

    // ---- the end of the exchange -------------------------------------------------------------------------

    /**
     * The exchange ended: the connection goes back to its pool when the request was read to its end and the
     * connection is reusable, else it is closed. {@code nowNanos} is when, as {@link System#nanoTime()} reads it.
     */
    void release(long nowNanos) {
        UpstreamHandler u = upstream;
        upstream = null;
        if (u != null) {
            u.detach();
            if (upstreamEnded || !exchange.requestDone() || !u.reusable()) {
                u.close();
            } else {
                pool.release(u, nowNanos);
            }
        }
    }

    /** Forgets the ended exchange's connection; call after {@link #release}. */
    void reset() {
        pool = null;
        upstreamEnded = false;
    }
}
