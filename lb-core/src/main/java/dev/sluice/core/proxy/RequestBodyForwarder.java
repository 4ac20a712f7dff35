package dev.sluice.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The request side's flow between the client and the upstream: asks the client for one message at a time,
 * writes the request body to the current attempt's connection (renewing the client's body read deadline),
 * flushes it once per socket read from the client (or as soon as reading waits), stops reading while the upstream
 * is not writable, and holds the body to the cluster's size limit.
 *
 * <p>Confined to the connection's event loop; one instance per connection whose fields are reset between
 * exchanges ({@link #reset}); it allocates nothing. A body it refuses comes back as a {@link LocalReply} for the
 * {@link FrontendHandler} to fail the exchange with; which message a phase takes is the frontend's call.
 */
final class RequestBodyForwarder {

    private final FrontendHandler owner;
    private final ConnectionTimer timer;
    private ChannelHandlerContext ctx;
    private boolean readOutstanding;
    /** Between the start of a socket read from the client and its end; messages decoded then are in this batch. */
    private boolean inSocketRead;
    /**
     * Request body parts were written to the upstream and not flushed yet. They are flushed once per socket read
     * from the client ({@link #socketReadEnded}), or as soon as the handler waits for the client or the upstream
     * outside such a read.
     */
    private boolean flushPending;
    /** Reading from the client stopped until the upstream is writable again. */
    private boolean waitingForUpstream;
    private long bodyBytes;
    /** The routed cluster's limit on the body, negative for none; set for every routed request, never reset. */
    private long maxBody;

    RequestBodyForwarder(FrontendHandler owner, ConnectionTimer timer) {
        this.owner = owner;
        this.timer = timer;
    }

    /** Binds the client connection once it is active. */
    void init(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The request was routed to a cluster that takes bodies up to {@code maxBody} bytes (negative: no limit). */
    void limit(long maxBody) {
        this.maxBody = maxBody;
    }

    /** Whether a body byte of the current request went to the upstream. */
    boolean bodySent() {
        return bodyBytes > 0;
    }

    /** Whether reading from the client waits for the upstream to become writable. */
    boolean waitsForUpstream() {
        return waitingForUpstream;
    }

    /** A socket read from the client started. */
    void socketReadStarted() {
        inSocketRead = true;
    }

    /** A socket read from the client ended: one flush sends every body part it brought. */
    void socketReadEnded() {
        inSocketRead = false;
        flush();
    }

    /** A message (or the end of a read cycle) answered the outstanding read. */
    void readAnswered() {
        readOutstanding = false;
    }

    /**
     * Asks for the next message unless a read is already outstanding. At most one read is ever pending,
     * so no message arrives that the current phase cannot take.
     */
    void requestRead() {
        if (!readOutstanding) {
            readOutstanding = true;
            ctx.read();
            if (readOutstanding && !inSocketRead) {
                // No queued message answered the read: it waits for the client, so what was written goes now.
                flush();
            }
        }
    }

    /**
     * Checks a body part before it is forwarded.
     *
     * @return {@code null} when it may go on; else the reply to fail the exchange with ({@code content} is then
     *         released): a broken body or one past the cluster's limit
     */
    LocalReply admit(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            return LocalReply.BAD_REQUEST;
        }
        bodyBytes += content.content().readableBytes();
        if (maxBody >= 0 && bodyBytes > maxBody) {
            content.release();
            return LocalReply.PAYLOAD_TOO_LARGE;
        }
        return null;
    }

    /**
     * Writes a body part that is not the last to {@code upstream}, to be flushed with the rest of this read; the
     * client then has the body read timeout for its next bytes, and is read on while the upstream keeps up.
     */
    void forward(HttpContent content, UpstreamHandler upstream) {
        // Flushed at the end of the client's socket read, or when reading waits or stops before that.
        upstream.channel().write(content, upstream.channel().voidPromise());
        flushPending = true;
        timer.armBodyRead();
        if (upstream.channel().isWritable()) {
            requestRead();
        } else {
            waitForUpstream();
        }
    }

    /** Writes and flushes the body's last part to {@code upstream}, without its trailer fields. */
    void forwardLast(LastHttpContent last, UpstreamHandler upstream) {
        // Trailer fields are never forwarded: a trailer must not smuggle framing or routing fields.
        if (!last.trailingHeaders().isEmpty()) {
            last.trailingHeaders().clear();
        }
        flushPending = false; // this flush also sends the parts written before
        upstream.channel().writeAndFlush(last, upstream.channel().voidPromise());
    }

    /** Reading stops until the upstream drains, which it can only do once what is written is flushed. */
    private void waitForUpstream() {
        // Marked first: the flush may drain it at once, and the writability event then resumes reading.
        waitingForUpstream = true;
        flush();
    }

    /** The upstream's writability changed: reading resumes if it waited for it. */
    void onUpstreamWritabilityChanged(boolean writable) {
        if (writable && waitingForUpstream) {
            waitingForUpstream = false;
            requestRead();
        }
    }

    /** Flushes request body parts written to the upstream since the last flush, if any. */
    private void flush() {
        if (flushPending) {
            flushPending = false;
            UpstreamHandler upstream = owner.upstream();
            if (upstream != null) {
                upstream.channel().flush();
            }
        }
    }

    /** Forgets the ended exchange's body. */
    void reset() {
        bodyBytes = 0;
        waitingForUpstream = false;
        flushPending = false;
    }
}
