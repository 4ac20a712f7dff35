package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The request head's way upstream: turns the client's routed head into the one backends get (hop-by-hop fields
 * stripped, chunked framing stated again, forwarding fields added, HTTP/1.1), then writes it to each attempt's
 * connection and arms the deadline that follows: the body's read deadline while the client still sends a body,
 * else the response's.
 *
 * <p>Confined to the connection's event loop; one instance per connection. Of an exchange it keeps only the
 * {@link ForwardingFields} that {@link #prepare} sets; the rest it reads from the {@link CurrentExchange}. Every
 * attempt of an exchange (a retry too) writes the same head object with the same forwarding fields,
 * {@code X-Request-Id} included. A request with no body leaves as one
 * message, its head and its end together ({@link BodilessUpstreamRequest}); the client's empty last part then only
 * flushes it ({@link #end}). Writing allocates nothing of its own; preparing only when the client's own
 * {@code Connection} or {@code X-Forwarded-For} field asks for it.
 */
final class UpstreamRequestWriter {

    private final CurrentExchange exchange;
    private final RequestBodyForwarder body;
    private final ConnectionTimer timer;
    private final ForwardingFields forwarding;
    private final UpstreamHead head = new UpstreamHead();
    private final BodilessUpstreamRequest bodiless = new BodilessUpstreamRequest();

    UpstreamRequestWriter(CurrentExchange exchange, RequestBodyForwarder body, ConnectionTimer timer,
                          RequestIds requestIds) {
        this.exchange = exchange;
        this.body = body;
        this.timer = timer;
        this.forwarding = new ForwardingFields(requestIds);
    }

    /** Binds the client connection's address, which goes into the forwarding fields, once it is active. */
    void init(String clientIp) {
        forwarding.init(clientIp);
    }

    /** Makes the routed head {@code req} the one every attempt writes; {@code chunked} as the client sent it. */
    void prepare(HttpRequest req, boolean chunked) {
        HttpHeaders h = req.headers();
        ForwardingHeaders.stripHopByHop(h);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        forwarding.prepare(h);
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Writes the exchange's request head to {@code connection}, from {@code pool}, the current attempt's, and arms
     * the deadline that follows; unless the request was read to its end already, asks the client for its next part.
     */
    void write(UpstreamPool pool, UpstreamHandler connection) {
        HttpRequest request = exchange.request();
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            // An HTTP/1.0 client may omit Host, but the request leaves as HTTP/1.1, which requires one.
            request.headers().set(HttpHeaderNames.HOST, pool.backend().address().toString());
        }
        var ch = connection.channel();
        if (!exchange.requestHasBody()) {
            // The head is the whole request: one message, flushed once the client's read of it ends (or now, for
            // a retry, whose request was read to its end already).
            ch.write(bodiless.wraps(request, forwarding), ch.voidPromise());
            timer.armResponse();
            if (exchange.requestDone()) {
                ch.flush();
            } else {
                body.requestRead();
            }
            return;
        }
        if (exchange.requestDone()) {
            // A retry of a request whose (empty) chunked body was already read.
            ch.write(head.wraps(request, forwarding), ch.voidPromise());
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ch.voidPromise());
            timer.armResponse();
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            // The client waits for 100 Continue before sending the body: the head must leave now.
            ch.writeAndFlush(head.wraps(request, forwarding), ch.voidPromise());
        } else {
            ch.write(head.wraps(request, forwarding), ch.voidPromise());
        }
        timer.armBodyRead();
        body.requestRead();
    }

    /**
     * Ends the exchange's request on {@code upstream} with the client's last part: a body's last part (its trailer
     * fields dropped) goes on; for a request with no body, whose end left with its head ({@link #write}), nothing is
     * left to write, and the flush sends the head.
     */
    void end(LastHttpContent last, UpstreamHandler upstream) {
        if (exchange.requestHasBody()) {
            body.forwardLast(last, upstream);
            return;
        }
        last.release();
        upstream.channel().flush();
    }
}
