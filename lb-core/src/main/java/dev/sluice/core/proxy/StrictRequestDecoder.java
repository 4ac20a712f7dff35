package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Netty's request decoder behind a strict grammar gate: every byte of a request head, and of the framing of a
 * chunked body, is checked by {@link RequestHeadScanner} and {@link ChunkedBodyScanner} before Netty parses it.
 * A fault becomes one failed message (a request head, or the last part of a body) whose
 * {@link DecoderResult#cause()} is a {@link Refusal} naming the {@link LocalReply}; everything after it on the
 * connection is discarded, since its framing can no longer be trusted.
 *
 * <p>Further rules: a request with both {@code Content-Length} and {@code Transfer-Encoding} keeps both fields
 * (Netty would drop {@code Content-Length}) so that {@link RequestHeadValidator} refuses it; fields whose name
 * contains '_' are dropped (some backends map '_' and '-' to the same name, e.g. CGI variables, so
 * {@code Content_Length} or {@code X_Forwarded_For} could stand in for the real field behind Sluice's back);
 * decoded requests are reported to the connection's {@link HeadRequestQueue}.
 *
 * <p>Fast path: a complete head without body framing, framed by {@code Content-Length}, or by
 * {@code Transfer-Encoding: chunked} alone, is not handed to Netty at all. {@link ScannedRequestBuilder} builds its
 * request from the positions the scanner recorded, into a {@link ScannedRequest} the connection reuses once the
 * exchange that had it has ended ({@link #recycle}); the decoder emits it and skips the head's bytes, then, as Netty
 * would, either {@link LastHttpContent#EMPTY_LAST_CONTENT} or the body in the same parts Netty would cut it into
 * ({@link ScannedRequestBody}); Netty stays between messages. So that a head arriving in pieces can take it too,
 * Netty gets no byte of an incomplete head while the head is small enough that Netty would only be waiting for more
 * of it. Every other head (any other {@code Transfer-Encoding}, '_' in a name, a Hixie-76 handshake, beyond Netty's
 * limits, still incomplete when it outgrows them, or the rest of a stream the client closed) goes to Netty, which
 * decodes or refuses it as before: Netty parses a head line by line whether its bytes come at once or in pieces, so
 * holding them back changes nothing it decides.
 *
 * <p>Confined to its connection's event loop. The scanners are per connection and allocate nothing per request,
 * so a well-formed request costs no more than Netty's own parsing, and one on the fast path less: its head
 * allocates nothing in the steady state, its body only the content messages Netty's would (and a chunked body's
 * trailer fields, if it has any); the rare paths (underscore names, refusals) allocate too. Common field names
 * ({@link CommonFieldNames}) and methods are shared instances rather than a new string per request, and the last
 * part of a body framed by {@code Content-Length} shares one empty trailer set ({@link BodyTrailers}).
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    /** Carries the reply for a refused request in a failed {@link DecoderResult}; never thrown. */
    static final class Refusal extends Exception {
        private static final Map<LocalReply, Refusal> BY_REPLY = new java.util.EnumMap<>(LocalReply.class);

        static {
            for (LocalReply reply : LocalReply.values()) {
                BY_REPLY.put(reply, new Refusal(reply));
            }
        }

        private final transient LocalReply reply;

        private Refusal(LocalReply reply) {
            super(reply.code(), null, false, false); // shared and stackless: a value, not a thrown error
            this.reply = reply;
        }

        static Refusal of(LocalReply reply) {
            return BY_REPLY.get(reply);
        }

        LocalReply reply() {
            return reply;
        }
    }

    /**
     * HEAD: scanning a head; AWAIT_HEAD: the head is complete, not yet emitted; CHUNKED: Netty decodes a chunked body
     * the scanner checks ahead of it; PASSIVE: Netty decodes a body of known length; SCANNED_BODY: the fast path reads
     * the body of a head it built; DISCARD: refused, every later byte is dropped.
     */
    private enum Mode { HEAD, AWAIT_HEAD, CHUNKED, PASSIVE, SCANNED_BODY, DISCARD }

    private final RequestHeadScanner head;
    private final ChunkedBodyScanner chunks;
    private final HeadRequestQueue requests;
    /** Builds requests from the scanner's positions, without Netty; {@code null} when the fast path is off. */
    private final ScannedRequestBuilder builder;
    private Mode mode = Mode.HEAD;
    /** Bytes after the reader index that the scanners have already checked. */
    private int scanned;
    /** Whether Netty's decoder is between messages: it has seen no byte since it ended the last one. */
    private boolean nettyIdle = true;
    /** Whether the client closed: Netty must see what is left, to report a head cut short as it does. */
    private boolean closing;
    /** The body of a request the fast path built (mode SCANNED_BODY); {@code null} when the fast path is off. */
    private final ScannedRequestBody body;

    StrictRequestDecoder(HttpDecoderConfig config, int maxFields, HeadRequestQueue requests) {
        this(config, maxFields, requests, true);
    }

    /** @param fastPath false only in tests and benchmarks, to compare the fast path with Netty's parsing */
    StrictRequestDecoder(HttpDecoderConfig config, int maxFields, HeadRequestQueue requests,
            boolean fastPath) {
        super(BodyTrailers.install(config));
        this.head = new RequestHeadScanner(maxFields, fastPath ? ScannedRequestBuilder.longestHead(
                config.getMaxInitialLineLength(), config.getMaxHeaderSize(), maxFields) : 0);
        this.chunks = new ChunkedBodyScanner(maxFields, config.getMaxInitialLineLength());
        this.requests = requests;
        this.builder = fastPath ? new ScannedRequestBuilder(
                config.getMaxInitialLineLength(), config.getMaxHeaderSize()) : null;
        this.body = fastPath ? new ScannedRequestBody(chunks, trailersFactory, config.getMaxChunkSize(),
                config.getMaxHeaderSize(), maxFields) : null;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (mode == Mode.DISCARD) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (mode == Mode.SCANNED_BODY) {
            readScannedBody(in, out);
            return;
        }
        if (!scanAhead(in, out) || decodedWithoutNetty(in, out) || awaitingRestOfHead()) {
            return;
        }
        int before = out.size();
        int readerBefore = in.readerIndex();
        nettyIdle = false; // from here Netty may hold part of a head; the message's end sets it back
        super.decode(ctx, in, out);
        scanned = Math.max(0, scanned - (in.readerIndex() - readerBefore));
        for (int i = before; i < out.size(); i++) {
            afterDecoded(out.get(i));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (mode == Mode.DISCARD) {
            in.skipBytes(in.readableBytes()); // already refused: no second failure for the same bytes
            return;
        }
        closing = true;
        try {
            super.decodeLast(ctx, in, out);
        } finally {
            closing = false;
        }
    }

    /** Scans the bytes not yet checked; returns false after refusing the message. */
    private boolean scanAhead(ByteBuf in, List<Object> out) {
        int base = in.readerIndex();
        int from = base + scanned;
        int to = in.writerIndex();
        while (from < to && (mode == Mode.HEAD || mode == Mode.CHUNKED)) {
            int end = mode == Mode.HEAD ? head.scan(in, from, to) : chunks.scan(in, from, to);
            LocalReply fault = mode == Mode.HEAD ? head.rejection() : chunks.rejection();
            if (fault != null) {
                refuse(in, out, fault);
                return false;
            }
            if (end < 0) {
                from = to;
            } else if (mode == Mode.HEAD) {
                from = end;
                mode = Mode.AWAIT_HEAD; // the head's framing decides how to scan on
            } else {
                from = end;
                mode = Mode.HEAD; // the chunked body ended; the next request's head follows
                head.reset();
            }
        }
        scanned = from - base;
        return true;
    }

    /**
     * The fast path: emits the request of a complete head that has no body, one of known length or a chunked one, and
     * skips its bytes, when Netty is between messages and the head starts at the reader index (Netty has consumed
     * none of it, not even a leading CRLF).
     */
    private boolean decodedWithoutNetty(ByteBuf in, List<Object> out) {
        if (mode != Mode.AWAIT_HEAD || !nettyIdle || builder == null || scanned != head.length()) {
            return false;
        }
        HttpRequest req = builder.build(head);
        if (req == null) {
            return false;
        }
        ((BodyTrailers) trailersFactory).messageStarted(req); // as createMessage does on Netty's path
        in.skipBytes(scanned);
        out.add(req);
        requests.requestDecoded(HttpMethod.HEAD.equals(req.method())); // as afterDecoded does for Netty's heads
        long length = builder.contentLength();
        if (builder.chunked()) {
            body.startChunked(builder.fieldBytes());
        } else if (length > 0) {
            body.startLength(length);
        } else {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            messageEnded();
            return true;
        }
        // the body comes in the next calls, as Netty's decoder returns after a head too
        mode = Mode.SCANNED_BODY;
        scanned = 0;
        return true;
    }

    /** The next parts of the body of a request the fast path built; once it ended, the next head is scanned. */
    private void readScannedBody(ByteBuf in, List<Object> out) {
        LocalReply fault = body.read(in, out);
        if (fault != null) {
            refuse(in, out, fault);
        } else if (body.ended()) {
            messageEnded();
        }
    }

    /** A message ended that Netty did not see, or after which Netty reset itself: the next head is scanned. */
    private void messageEnded() {
        nettyIdle = true;
        mode = Mode.HEAD;
        head.reset();
        scanned = 0;
    }

    /**
     * Whether to keep the bytes of an incomplete head from Netty for now: Netty holds none of the head yet, and has
     * no reason to refuse what there is of it (see {@link ScannedRequestBuilder#nettyWouldAwaitMore}).
     */
    private boolean awaitingRestOfHead() {
        return mode == Mode.HEAD && nettyIdle && builder != null && !closing && scanned == head.length()
                && builder.nettyWouldAwaitMore(scanned);
    }

    private void afterDecoded(Object msg) {
        if (msg instanceof HttpRequest req) {
            requests.requestDecoded(HttpMethod.HEAD.equals(req.method()));
            if (req.decoderResult().isFailure()) {
                mode = Mode.DISCARD;
                return;
            }
            if (head.sawUnderscoreName()) {
                dropUnderscoreNames(req.headers());
            }
            if (HttpUtil.isTransferEncodingChunked(req)) {
                mode = Mode.CHUNKED;
                chunks.reset();
            } else {
                mode = Mode.PASSIVE;
            }
        } else if (msg instanceof LastHttpContent last) {
            if (last.decoderResult().isFailure()) {
                mode = Mode.DISCARD;
                return;
            }
            if (mode == Mode.PASSIVE) {
                messageEnded();
            } else {
                nettyIdle = true; // Netty resets itself after the last part of every request
            }
        }
    }

    private void refuse(ByteBuf in, List<Object> out, LocalReply reply) {
        DecoderResult failure = DecoderResult.failure(Refusal.of(reply));
        if (mode == Mode.HEAD) {
            HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            req.setDecoderResult(failure);
            requests.requestDecoded(false);
            out.add(req);
        } else {
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            last.setDecoderResult(failure);
            out.add(last);
        }
        mode = Mode.DISCARD;
        in.skipBytes(in.readableBytes());
    }

    private static void dropUnderscoreNames(HttpHeaders headers) {
        List<String> names = new ArrayList<>(2);
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            CharSequence name = it.next().getKey();
            if (name.toString().indexOf('_') >= 0) {
                names.add(name.toString());
            }
        }
        for (String name : names) {
            headers.remove(name);
        }
    }

    /**
     * Takes back the request of an exchange that has ended, so that a later head can be built into it (see
     * {@link ScannedRequestBuilder#recycle}); any request the fast path did not build is left alone.
     */
    void recycle(HttpRequest request) {
        if (builder != null) {
            builder.recycle(request);
        }
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        HttpMessage message = super.createMessage(initialLine);
        ((BodyTrailers) trailersFactory).messageStarted(message);
        return message;
    }

    /** A shared name for the common fields; Netty allocates one per field for all but five names. */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        AsciiString common = CommonFieldNames.find(sb, start, length);
        return common != null ? common : super.splitHeaderName(sb, start, length);
    }

    /** A shared name for the standard methods; Netty shares only GET and POST. */
    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
        for (HttpMethod m : SHARED_METHODS) {
            if (HttpGrammar.sameText(m.name(), sb, start, length)) {
                return m.name();
            }
        }
        return super.splitFirstWordInitialLine(sb, start, length);
    }

    /** Methods decoded as the shared constants; read only. */
    static final HttpMethod[] SHARED_METHODS = {
        HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS,
        HttpMethod.PATCH, HttpMethod.TRACE,
    };

    /** Keeps both framing fields so that the head validator refuses the request (Netty would drop one). */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        clearContentLength();
    }

    /** A failed head without a body buffer, so a refused request holds nothing that needs releasing. */
    @Override
    protected HttpMessage createInvalidMessage() {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
    }
}
