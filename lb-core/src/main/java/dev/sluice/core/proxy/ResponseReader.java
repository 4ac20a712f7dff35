package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Reads an upstream connection's bytes as responses to the requests sent on it, without decoding them into
 * objects: each head is copied out and parsed ({@link ResponseHeadParser}) and handed over with the body framing it
 * implies, and the body goes on as slices of the received buffers, found by {@code Content-Length}, by the chunked
 * framing (checked by a {@link ChunkedBodyScanner}) or by the connection's close. A chunked body is passed with its
 * framing (the client gets it chunked) unless the receiver asks for the data alone ({@link #dechunk}).
 *
 * <p>A backend may only send bytes a request asked for. Bytes while no response is due, a malformed head or
 * broken chunked framing fail the exchange ({@link Sink#onResponseFailed}) and everything after is discarded; bytes
 * arriving in the same read right after a response ended make the connection unfit for reuse
 * ({@link #reusable}), so leftovers never answer the next request.
 *
 * <p>Confined to its connection's event loop. Per response it allocates nothing but the slices it hands over
 * (pooled, recycled objects); a head split across reads is gathered in one buffer.
 */
final class ResponseReader {

    /** Receives a connection's responses. Calls may close the connection; the reader then stops ({@link #stop}). */
    interface Sink {
        /**
         * A head was parsed; valid only during the call. Interim (1xx) heads are followed by another head. When a
         * final head's {@link ResponseHead#wholeBodyInRead} is set, the next call (unless the call stopped the
         * reader) is {@link #onResponseBody} with the whole body and {@code last}, before the read ends.
         */
        void onResponseHead(ResponseHead head);

        /** Part of the body, owned by the receiver; {@code last} ends the response (the part may be empty). */
        void onResponseBody(ByteBuf part, boolean last);

        /** The backend broke the protocol; nothing more comes from this connection. */
        void onResponseFailed();
    }

    private enum State { HEAD, BODY, DISCARD }

    private static final int MAX_TRAILER_FIELDS = 64;
    /** Bytes copied for a head at first: most response heads are a few hundred bytes. */
    private static final int FIRST_HEAD_WINDOW = 1024;

    private final ResponseHeadParser parser;
    private final ResponseHead head = new ResponseHead();
    private final ChunkedBodyScanner chunks = new ChunkedBodyScanner(MAX_TRAILER_FIELDS);
    private final HeadRequestQueue requests = new HeadRequestQueue();
    private final ChunkedBodyScanner.DataListener chunkData = this::onChunkData;
    private final ByteBufAllocator alloc;
    private Sink dataSink;
    private State state = State.HEAD;
    /** Requests sent whose final response has not ended. */
    private int awaiting;
    private long lengthLeft;
    private boolean dechunk;
    private boolean reusable = true;
    private boolean stopped;
    private ByteBuf partialHead;

    ResponseReader(int maxHeadBytes, ByteBufAllocator alloc) {
        this.parser = new ResponseHeadParser(maxHeadBytes);
        this.alloc = alloc;
    }

    /** A request went out on the connection; {@code head} when it is a HEAD request (its response has no body). */
    void requestSent(boolean headRequest) {
        requests.requestDecoded(headRequest);
        awaiting++;
    }

    /** Asked during {@link Sink#onResponseHead}: deliver the current chunked body's data without its framing. */
    void dechunk() {
        dechunk = true;
    }

    /** Whether the connection may carry another exchange: every response so far was well framed and kept it open. */
    boolean reusable() {
        return reusable && !stopped && state == State.HEAD;
    }

    /** The connection is being closed: no more deliveries, whatever is still buffered. */
    void stop() {
        stopped = true;
        reusable = false;
        releasePartialHead();
    }

    /** Reads {@code in}, which this reader now owns. */
    void read(ByteBuf in, Sink sink) {
        ByteBuf buf = in;
        if (partialHead != null) {
            buf = gather(partialHead, in);
            partialHead = null;
        }
        try {
            while (buf.isReadable() && !stopped) {
                if (state == State.DISCARD) {
                    buf.skipBytes(buf.readableBytes());
                } else if (state == State.BODY) {
                    readBody(buf, sink);
                } else if (!readHead(buf, sink)) {
                    partialHead = buf; // a head split across reads: kept whole until its end arrives
                    buf = null;
                    return;
                }
            }
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    /** The connection closed: a body delimited by the close ends here. */
    void inputClosed(Sink sink) {
        releasePartialHead();
        if (state == State.BODY && head.body == ResponseHead.Body.CLOSE && !stopped) {
            endResponse(null, sink, Unpooled.EMPTY_BUFFER);
        }
        stopped = true;
    }

    /** @return false when the head is incomplete */
    private boolean readHead(ByteBuf buf, Sink sink) {
        if (awaiting == 0) {
            fail(sink); // bytes no request asked for
            return true;
        }
        int end = parseHead(buf);
        if (end == ResponseHeadParser.NEED_MORE) {
            return false;
        }
        if (end == ResponseHeadParser.MALFORMED) {
            fail(sink);
            return true;
        }
        buf.skipBytes(end);
        if (head.interim()) {
            sink.onResponseHead(head);
            return true;
        }
        boolean bodiless = requests.finalResponseStarted() || head.status == 204 || head.status == 304;
        reusable &= head.keepsConnection();
        if (bodiless) {
            head.body = ResponseHead.Body.NONE;
        } else if (head.chunked) {
            head.body = ResponseHead.Body.CHUNKED;
            chunks.reset();
        } else if (head.contentLength >= 0) {
            head.body = ResponseHead.Body.LENGTH;
            lengthLeft = head.contentLength;
        } else {
            head.body = ResponseHead.Body.CLOSE;
            reusable = false;
        }
        dechunk = false;
        state = State.BODY;
        head.wholeBodyInRead = head.body == ResponseHead.Body.NONE
                || head.body == ResponseHead.Body.LENGTH && lengthLeft <= buf.readableBytes();
        sink.onResponseHead(head);
        if (!stopped && (head.body == ResponseHead.Body.NONE || head.body == ResponseHead.Body.LENGTH && lengthLeft == 0)) {
            endResponse(buf, sink, Unpooled.EMPTY_BUFFER);
        }
        return true;
    }

    /**
     * Copies the start of {@code buf}'s readable bytes into the head and parses it there: a first window that holds
     * most heads whole, widened while the head goes on past it and more bytes are there.
     *
     * @return the head's length, {@link ResponseHeadParser#NEED_MORE} or {@link ResponseHeadParser#MALFORMED}
     */
    private int parseHead(ByteBuf buf) {
        int readable = buf.readableBytes();
        int window = Math.min(readable, FIRST_HEAD_WINDOW);
        while (true) {
            head.load(buf, buf.readerIndex(), window);
            int end = parser.parse(head);
            if (end != ResponseHeadParser.NEED_MORE || window == readable) {
                return end;
            }
            window = Math.min(readable, window * 4);
        }
    }

    private void readBody(ByteBuf buf, Sink sink) {
        switch (head.body) {
            case LENGTH -> {
                int n = (int) Math.min(lengthLeft, buf.readableBytes());
                ByteBuf part = buf.readRetainedSlice(n);
                lengthLeft -= n;
                if (lengthLeft == 0) {
                    endResponse(buf, sink, part);
                } else {
                    sink.onResponseBody(part, false);
                }
            }
            case CHUNKED -> readChunked(buf, sink);
            default -> sink.onResponseBody(buf.readRetainedSlice(buf.readableBytes()), false); // CLOSE
        }
    }

    private void readChunked(ByteBuf buf, Sink sink) {
        int from = buf.readerIndex();
        int to = buf.writerIndex();
        int end;
        if (dechunk) {
            dataSink = sink;
            end = chunks.scan(buf, from, to, chunkData);
            dataSink = null;
        } else {
            end = chunks.scan(buf, from, to);
        }
        if (chunks.rejection() != null) {
            buf.readerIndex(to);
            fail(sink);
            return;
        }
        if (stopped) {
            return;
        }
        if (end < 0) {
            if (dechunk) {
                buf.readerIndex(to);
            } else {
                sink.onResponseBody(buf.readRetainedSlice(to - from), false);
            }
            return;
        }
        if (dechunk) {
            buf.readerIndex(end);
            endResponse(buf, sink, Unpooled.EMPTY_BUFFER);
        } else {
            endResponse(buf, sink, buf.readRetainedSlice(end - from));
        }
    }

    private void onChunkData(ByteBuf buf, int index, int length) {
        if (!stopped) {
            dataSink.onResponseBody(buf.retainedSlice(index, length), false);
        }
    }

    /**
     * The response ended with {@code last}. Bytes after it in the same read ({@code buf} still readable) were not
     * asked for: they are discarded and the connection is not reused.
     */
    private void endResponse(ByteBuf buf, Sink sink, ByteBuf last) {
        awaiting--;
        if (buf != null && buf.isReadable()) {
            reusable = false;
            state = State.DISCARD;
        } else {
            state = State.HEAD;
        }
        sink.onResponseBody(last, true);
    }

    private void fail(Sink sink) {
        state = State.DISCARD;
        reusable = false;
        sink.onResponseFailed();
    }

    private ByteBuf gather(ByteBuf first, ByteBuf next) {
        ByteBuf all = alloc.buffer(first.readableBytes() + next.readableBytes());
        all.writeBytes(first).writeBytes(next);
        first.release();
        next.release();
        return all;
    }

    private void releasePartialHead() {
        if (partialHead != null) {
            partialHead.release();
            partialHead = null;
        }
    }
}
