package dev.sluice.core.proxy;

import dev.sluice.core.stats.Counter;
import dev.sluice.core.stats.TrafficCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The response side of one client connection: relays the current attempt's response (interim heads, the final
 * head framed the way the client can take it, the body) and writes Sluice's own replies; knows where the
 * exchange's response stands and whether the client connection stays open after it; pauses the upstream's reads
 * while the client is not writable.
 *
 * <p>Confined to the connection's event loop; one instance per connection whose fields are reset between
 * exchanges ({@link #reset}), so relaying allocates nothing beyond the bytes it writes. It checks nothing about
 * which upstream a call comes from: the {@link FrontendHandler} passes on only the current attempt's events, and
 * it ends the exchange when told the response ended.
 */
final class ResponseRelay {

    /**
     * The largest body copied into its head's buffer so that both leave as one write; a larger one is written as
     * the slice of the backend's buffer it arrived in.
     */
    static final int JOINED_BODY_MAX = 1024;

    private final FrontendHandler owner;
    private final ExchangeFilters filters;
    private final UpstreamAttempts attempts;
    private final ConnectionTimer timer;
    private final TrafficCounters listenerCounters;
    private ChannelHandlerContext ctx;
    private FrontendCodec codec;

    // What the response depends on in the client's request; set for every request head, never reset.
    private boolean keepAlive;
    private boolean http10;
    private boolean headRequest;

    // Where the current exchange's response stands; reset by reset().
    /** The final response head went (or is going) to the client. */
    private boolean started;
    /** The last part of the response went to the client. */
    private boolean done;
    /** The final status, for accounting. */
    private int status;
    /** An interim (1xx) response went to the client, so the exchange can no longer be retried elsewhere. */
    private boolean interimForwarded;
    /** The client connection closes after this response. */
    private boolean closeClient;
    /** The backend delimits the body by closing; Sluice sends it to the client chunked. */
    private boolean chunkedBySluice;
    /** The upstream's reads stopped because the client was not writable. */
    private boolean upstreamPaused;
    /**
     * The final head, held back for the body the reader passes on next, so both go to the client as one buffer
     * ({@link #bodyToJoin}); {@code null} otherwise.
     */
    private ByteBuf pendingHead;

    ResponseRelay(FrontendHandler owner, ExchangeFilters filters, UpstreamAttempts attempts, ConnectionTimer timer,
                  TrafficCounters listenerCounters) {
        this.owner = owner;
        this.filters = filters;
        this.attempts = attempts;
        this.timer = timer;
        this.listenerCounters = listenerCounters;
    }

    /** Binds the client connection once it is active. */
    void init(ChannelHandlerContext ctx, FrontendCodec codec) {
        this.ctx = ctx;
        this.codec = codec;
    }

    /** Takes what the response to {@code req} depends on: persistence, protocol version, HEAD. */
    void onRequest(HttpRequest req) {
        keepAlive = HttpUtil.isKeepAlive(req);
        http10 = req.protocolVersion() == HttpVersion.HTTP_1_0;
        headRequest = HttpMethod.HEAD.equals(req.method());
    }

    boolean started() {
        return started;
    }

    boolean done() {
        return done;
    }

    /** The final status of the current exchange, 0 before there is one. */
    int status() {
        return status;
    }

    /** The client connection must close after this response (its framing is no longer trustworthy). */
    void closeClientAfter() {
        closeClient = true;
    }

    /** Whether the client connection closes once the current exchange ended. */
    boolean closesClient(boolean draining) {
        return closeClient || !keepAlive || draining;
    }

    /**
     * A response head (interim or final) from {@code upstream}, the current attempt's connection. A final 5xx the
     * cluster retries goes back to the {@link FrontendHandler} first and is not relayed when it is retried.
     */
    void onHead(UpstreamHandler upstream, ResponseHead head, boolean draining) {
        int status = head.status;
        if (head.interim()) {
            interimForwarded |= !http10; // HTTP/1.0 clients get no interim responses
            if (!http10) {
                codec.relayStarted(false);
                ctx.write(RelayedResponseWriter.head(ctx.alloc(), head, RelayedResponseWriter.Framing.AS_RECEIVED,
                        RelayedResponseWriter.Persistence.DEFAULT, 0), ctx.voidPromise());
                codec.relayEnded();
            }
            return;
        }
        if (status >= 500 && !interimForwarded && owner.retryOnStatus(status)) {
            return;
        }
        attempts.tellPicker(status >= 500);
        started = true;
        this.status = status;
        RelayedResponseWriter.Framing framing = clientFraming(upstream, head);
        if (closeClient || !keepAlive || draining) {
            closeClient = true;
        }
        RelayedResponseWriter.Persistence persistence = closeClient ? RelayedResponseWriter.Persistence.CLOSE
                : http10 ? RelayedResponseWriter.Persistence.KEEP_ALIVE : RelayedResponseWriter.Persistence.DEFAULT;
        int bodyRoom = bodyToJoin(head);
        ByteBuf bytes = finalHead(head, framing, persistence, Math.max(bodyRoom, 0));
        codec.relayStarted(true);
        if (bodyRoom >= 0) {
            pendingHead = bytes; // the body follows at once and goes out in this buffer (onBody)
            return;
        }
        timer.armResponse();
        ctx.write(bytes, ctx.voidPromise());
    }

    /**
     * The size of the body to send in the head's buffer, or -1 to send the head on its own: a body joins its head
     * when all of it is in the read that brought the head (so it is the next thing the reader passes on) and it
     * is small enough that copying it costs less than a write of its own.
     */
    private static int bodyToJoin(ResponseHead head) {
        if (!head.wholeBodyInRead) {
            return -1;
        }
        if (head.body == ResponseHead.Body.NONE) {
            return 0;
        }
        return head.contentLength <= JOINED_BODY_MAX ? (int) head.contentLength : -1;
    }

    /**
     * The bytes of the final head for the client. Filters that saw the request and read the head get it as a Netty
     * response, encoded again afterwards; when none reads it, the head is written from its received bytes with the
     * fields the filters set in place of the backend's fields of the same names.
     */
    private ByteBuf finalHead(ResponseHead head, RelayedResponseWriter.Framing framing,
                              RelayedResponseWriter.Persistence persistence, int bodyRoom) {
        if (!filters.seenRequest()) {
            return RelayedResponseWriter.head(ctx.alloc(), head, framing, persistence, bodyRoom);
        }
        if (filters.headReadByFilters()) {
            HttpResponse filtered = head.toHttpResponse();
            filters.onResponseHead(filtered);
            return RelayedResponseWriter.head(ctx.alloc(), filtered, framing, persistence, bodyRoom);
        }
        ByteBuf bytes = RelayedResponseWriter.head(ctx.alloc(), head, filters.collectResponseFields(), framing,
                persistence, bodyRoom);
        filters.clearResponseFields();
        return bytes;
    }

    /**
     * How the client's copy of a final response is framed, following the backend's framing where the client can
     * take it: a chunked body goes on chunked to an HTTP/1.1 client and as bare data delimited by the close to an
     * HTTP/1.0 one; a body the backend delimits by closing is chunked by Sluice for an HTTP/1.1 client.
     */
    private RelayedResponseWriter.Framing clientFraming(UpstreamHandler upstream, ResponseHead head) {
        switch (head.body) {
            case NONE -> {
                // A HEAD response's fields describe the GET response, chunked framing included.
                return head.chunked && headRequest && !http10
                        ? RelayedResponseWriter.Framing.CHUNKED : RelayedResponseWriter.Framing.AS_RECEIVED;
            }
            case CHUNKED -> {
                if (http10) {
                    upstream.dechunkBody();
                    closeClient = true;
                    return RelayedResponseWriter.Framing.AS_RECEIVED;
                }
                return RelayedResponseWriter.Framing.CHUNKED;
            }
            case CLOSE -> {
                if (http10) {
                    closeClient = true;
                    return RelayedResponseWriter.Framing.AS_RECEIVED;
                }
                chunkedBySluice = true;
                return RelayedResponseWriter.Framing.CHUNKED;
            }
            default -> {
                return RelayedResponseWriter.Framing.AS_RECEIVED;
            }
        }
    }

    /**
     * Part of the current attempt's final response body; {@code last} ends the response, and the
     * {@link FrontendHandler} then hears of it. Dropped when no final head was relayed.
     */
    void onBody(ByteBuf part, boolean last) {
        if (!started) {
            part.release();
            return;
        }
        listenerCounters.add(Counter.BYTES_OUT, part.readableBytes());
        ByteBuf out = chunkedBySluice ? RelayedResponseWriter.chunk(ctx.alloc(), part) : part;
        if (pendingHead != null) {
            out = joinPendingHead(out);
        }
        if (!last) {
            write(out);
            timer.armResponse();
            return;
        }
        write(out);
        if (chunkedBySluice) {
            ctx.write(RelayedResponseWriter.lastChunk(ctx.alloc()), ctx.voidPromise());
        }
        ctx.flush();
        codec.relayEnded();
        done = true;
        owner.responseRelayed();
    }

    /** The head held for the body, with {@code part} copied after it and released: one buffer to write. */
    private ByteBuf joinPendingHead(ByteBuf part) {
        ByteBuf head = pendingHead;
        pendingHead = null;
        head.writeBytes(part);
        part.release();
        return head;
    }

    /** Writes {@code bytes} to the client, unless there are none (an empty write still costs a pipeline pass). */
    private void write(ByteBuf bytes) {
        if (bytes.isReadable()) {
            ctx.write(bytes, ctx.voidPromise());
        } else {
            bytes.release();
        }
    }

    /** Writes the head held for a body that did not come (the read ended, or stopped, first). */
    private void writePendingHead() {
        ByteBuf head = pendingHead;
        pendingHead = null;
        timer.armResponse();
        ctx.write(head, ctx.voidPromise());
    }

    private void releasePendingHead() {
        if (pendingHead != null) {
            pendingHead.release();
            pendingHead = null;
        }
    }

    /**
     * End of a read cycle of {@code upstream} (the current attempt's connection, or {@code null}): flushes what it
     * produced, then reads on only while the client keeps up. Upstream reads are explicit, so a slow client stops
     * the backend instead of filling Sluice's memory.
     */
    void onUpstreamReadComplete(UpstreamHandler upstream) {
        if (pendingHead != null) {
            writePendingHead();
        }
        ctx.flush();
        if (upstream == null) {
            return;
        }
        if (ctx.channel().isWritable()) {
            upstream.channel().read();
        } else {
            upstreamPaused = true;
            timer.armClientWrite();
        }
    }

    /** The client connection's writability changed: resumes the upstream's reads if they wait for it. */
    void onClientWritabilityChanged(UpstreamHandler upstream) {
        if (ctx.channel().isWritable() && upstreamPaused) {
            upstreamPaused = false;
            if (upstream != null) {
                timer.armResponse();
                upstream.channel().read();
            }
        }
    }

    /**
     * Writes Sluice's own reply {@code r} as the whole response of the exchange (nothing was relayed yet) and
     * runs the response filters on it.
     *
     * @param close whether the connection must close after it; it also closes when the client asked for that
     * @return whether the connection closes after the reply
     */
    boolean sendLocal(FullHttpResponse r, boolean close) {
        boolean closeAfter = close || !keepAlive;
        started = true;
        done = true;
        status = r.status().code();
        listenerCounters.increment(Counter.LOCAL_REPLIES);
        filters.onResponseHead(r);
        if (closeAfter) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(r, ctx.voidPromise());
        closeClient = closeAfter;
        return closeAfter;
    }

    /** The client connection closed: releases a head held for its body if one still is. */
    void connectionClosed() {
        releasePendingHead();
    }

    /** Forgets the ended exchange's response, releasing a head held for its body if one still is. */
    void reset() {
        releasePendingHead();
        started = false;
        done = false;
        status = 0;
        interimForwarded = false;
        closeClient = false;
        chunkedBySluice = false;
        upstreamPaused = false;
    }
}
