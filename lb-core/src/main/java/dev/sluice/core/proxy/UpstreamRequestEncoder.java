package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The upstream side's request encoder: Netty's, telling the connection's {@link ResponseReader} of every request
 * head it writes, so the reader knows how many responses are due and which answer HEAD requests (no body);
 * writing the fields of a head decoded without Netty from its bytes ({@link HeadFields}); and writing an
 * {@link UpstreamHead}'s {@link ForwardingFields} after the head's own fields.
 *
 * <p>The chunked request of an {@link UpstreamHead} (head, body parts, last part) is framed here rather than by
 * Netty's encoder, which wraps a shared CRLF in two new buffer objects for every chunk and the last one: a part of
 * up to {@value #COPY_LIMIT} bytes leaves as one buffer with its framing around a copy of it; a longer one as its size
 * line, itself, and a CRLF (with the end of the body after it when it is the last part); an empty part that is not
 * the last writes nothing, as a zero size would end the body. The bytes are those Netty's encoder writes. Netty's
 * encoder stays between messages meanwhile, so a request after it is Netty's again; a message head written before
 * the body has ended fails its write, as in Netty's encoder. The buffers of one part but the last go with the void
 * promise; the caller's promise is the last write's.
 *
 * <p>Confined to its connection's event loop.
 */
final class UpstreamRequestEncoder extends HttpRequestEncoder {

    /** The longest body part copied into one buffer with its chunk framing. */
    static final int COPY_LIMIT = 1024;
    private static final int CRLF = ('\r' << 8) | '\n';
    private static final int LAST_CHUNK = ('0' << 16) | CRLF;

    private final ResponseReader responses;
    /** The forwarding fields of the head being encoded, between its request line and its fields; else null. */
    private ForwardingFields forwarding;
    /** Whether the body parts of a chunked request head written here come next. */
    private boolean chunkedBody;

    UpstreamRequestEncoder(ResponseReader responses) {
        this.responses = responses;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (chunkedBody) {
            if (msg instanceof HttpMessage) {
                // as Netty's encoder refuses it: a new head before the end of the body would corrupt the framing
                ReferenceCountUtil.release(msg);
                throw new IllegalStateException(
                        "a " + msg.getClass().getSimpleName() + " written before the end of a chunked request body");
            }
            if (msg instanceof HttpContent part) {
                writeChunk(ctx, part, promise);
                return;
            }
        } else if (msg instanceof UpstreamHead head && !(msg instanceof FullHttpRequest)
                && HttpUtil.isTransferEncodingChunked(head)) {
            writeChunkedHead(ctx, head, promise);
            return;
        }
        super.write(ctx, msg, promise);
    }

    private void writeChunkedHead(ChannelHandlerContext ctx, UpstreamHead head, ChannelPromise promise)
            throws Exception {
        ByteBuf buf = ctx.alloc().buffer(512);
        try {
            encodeInitialLine(buf, head);
            encodeHeaders(head.headers(), buf);
            ByteBufUtil.writeShortBE(buf, CRLF);
        } catch (Exception | Error e) {
            buf.release();
            throw e;
        }
        chunkedBody = true;
        ctx.write(buf, promise);
    }

    private void writeChunk(ChannelHandlerContext ctx, HttpContent part, ChannelPromise promise) {
        try {
            ByteBuf data = part.content();
            int n = data.readableBytes();
            LastHttpContent last = part instanceof LastHttpContent l ? l : null;
            if (n == 0 && last == null) {
                ctx.write(Unpooled.EMPTY_BUFFER, promise);
                return;
            }
            ByteBuf buf = ctx.alloc().buffer(n > COPY_LIMIT ? 10 : 10 + n + 7);
            if (n > 0) {
                writeSizeLine(buf, n);
                if (n > COPY_LIMIT) {
                    ctx.write(buf, ctx.voidPromise());
                    ctx.write(data.retain(), ctx.voidPromise());
                    buf = ctx.alloc().buffer(7);
                } else {
                    buf.writeBytes(data, data.readerIndex(), n);
                }
                ByteBufUtil.writeShortBE(buf, CRLF);
            }
            if (last != null) {
                chunkedBody = false;
                ByteBufUtil.writeMediumBE(buf, LAST_CHUNK);
                HttpHeaders trailers = last.trailingHeaders();
                if (!trailers.isEmpty()) {
                    encodeHeaders(trailers, buf);
                }
                ByteBufUtil.writeShortBE(buf, CRLF);
            }
            ctx.write(buf, promise);
        } finally {
            part.release();
        }
    }

    /** The chunk-size line of {@code n} (more than 0) bytes: lower-case hex digits, no leading zero, then CRLF. */
    private static void writeSizeLine(ByteBuf buf, int n) {
        for (int shift = (31 - Integer.numberOfLeadingZeros(n)) & ~3; shift >= 0; shift -= 4) {
            buf.writeByte(Character.forDigit((n >>> shift) & 0xF, 16));
        }
        ByteBufUtil.writeShortBE(buf, CRLF);
    }

    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
        responses.requestSent(HttpMethod.HEAD.equals(request.method()));
        forwarding = request instanceof UpstreamHead head ? head.forwarding() : null;
        super.encodeInitialLine(buf, request);
    }

    /**
     * The head's fields (Netty's encoder calls this right after {@link #encodeInitialLine}), then the forwarding
     * ones. {@link HeadFields} write themselves, from the head's bytes, with no iterator and no entry per field.
     */
    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (headers instanceof HeadFields fields) {
            fields.writeTo(buf);
        } else {
            super.encodeHeaders(headers, buf);
        }
        ForwardingFields fields = forwarding;
        if (fields != null) {
            forwarding = null; // trailers are encoded here too, and get none
            fields.writeTo(buf);
        }
    }
}
