package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the body of a request whose head {@link StrictRequestDecoder}'s fast path built, without Netty's decoder,
 * into the parts Netty's would emit for it:
 * <ul>
 *   <li>a body of {@code Content-Length} bytes: what each read brought, at most {@code maxChunkSize} bytes per part,
 *       as retained slices, the last part a {@link LastHttpContent} with the decoder's (empty) trailers;</li>
 *   <li>a chunked body: the data of each chunk, its framing left out, cut at the end of each read and at
 *       {@code maxChunkSize} bytes; then {@link LastHttpContent#EMPTY_LAST_CONTENT} for an empty trailer section, else a
 *       last part holding the trailer fields other than {@code Content-Length}, {@code Transfer-Encoding} and
 *       {@code Trailer}, names and values as Netty's decoder makes them.</li>
 * </ul>
 * A chunked body's framing is checked by the connection's {@link ChunkedBodyScanner} as it is read; a fault refuses
 * the body before any part of the read that holds it goes on, as on Netty's path, where the scanner checks a read
 * before Netty decodes it. Netty's own limits hold too: the scanner's on a chunk-size line, and here the one on the
 * field lines of the head and the trailer section together ({@code maxHeaderSize}, CRLFs not counted). A trailer
 * section is held in the connection's buffer until it ends, so at most that many bytes and a CRLF per allowed field.
 *
 * <p>Confined to its connection's event loop; one per decoder, started for each such request. Allocates only the
 * content parts Netty's decoder would (one {@link DefaultHttpContent} and slice per part), and the trailer fields of a
 * body that has any.
 */
final class ScannedRequestBody implements ChunkedBodyScanner.DataListener {

    private final ChunkedBodyScanner chunks;
    private final HttpHeadersFactory trailersFactory;
    private final int maxChunkSize;
    private final int maxHeaderSize;
    private final int maxTrailerFields;
    private boolean chunked;
    private boolean ended = true;
    /** The bytes of a body of known length still to come. */
    private long lengthLeft;
    /** What the head's field lines count against the header limit, which the trailer section shares. */
    private int headFieldBytes;
    /** Whether the trailer section has begun; its bytes are then held from the reader index on. */
    private boolean inTrailers;
    /** Bytes after the reader index already scanned: the part of the trailer section held so far. */
    private int held;
    /** Where the trailer section begins in the buffer being read, or -1 before it. */
    private int trailersAt;
    /** Where a chunked body's data parts go during a scan; null otherwise. */
    private List<Object> parts;

    /**
     * @param chunks           the connection's checker of chunked framing
     * @param trailersFactory  the decoder's factory of trailer field maps
     * @param maxChunkSize     the most bytes in one content part
     * @param maxHeaderSize    the decoder's limit on field lines, head and trailers together, CRLFs not counted
     * @param maxTrailerFields the most trailer field lines {@code chunks} allows
     */
    ScannedRequestBody(ChunkedBodyScanner chunks, HttpHeadersFactory trailersFactory, int maxChunkSize,
                       int maxHeaderSize, int maxTrailerFields) {
        this.chunks = chunks;
        this.trailersFactory = trailersFactory;
        this.maxChunkSize = maxChunkSize;
        this.maxHeaderSize = maxHeaderSize;
        this.maxTrailerFields = maxTrailerFields;
    }

    /** Starts a body of {@code length} (more than 0) bytes. */
    void startLength(long length) {
        chunked = false;
        ended = false;
        lengthLeft = length;
    }

    /** Starts a chunked body, after a head whose field lines had {@code headFieldBytes} bytes without CRLFs. */
    void startChunked(int headFieldBytes) {
        chunked = true;
        ended = false;
        this.headFieldBytes = headFieldBytes;
        inTrailers = false;
        held = 0;
        chunks.reset();
    }

    /** Whether the body read last has ended: its last part went out. */
    boolean ended() {
        return ended;
    }

    /**
     * Reads what {@code in} holds of the body, from its reader index, into parts added to {@code out}, and moves the
     * reader index past what they took; the bytes after the body's end stay for the next message.
     *
     * @return {@code null} while the body conforms ({@link #ended()} then tells whether it ended); else the reply
     *         refusing it, with the reader index left as it was: for a fault in the framing, the parts of this read
     *         taken back and released; past the header limit, the parts of this read kept, as Netty's are
     */
    LocalReply read(ByteBuf in, List<Object> out) {
        if (!chunked) {
            readLength(in, out);
            return null;
        }
        return readChunked(in, out);
    }

    private void readLength(ByteBuf in, List<Object> out) {
        int readable = in.readableBytes();
        if (readable == 0) {
            return;
        }
        int n = (int) Math.min(Math.min(readable, maxChunkSize), lengthLeft);
        ByteBuf content = in.readRetainedSlice(n);
        lengthLeft -= n;
        if (lengthLeft > 0) {
            out.add(new DefaultHttpContent(content));
            return;
        }
        out.add(new DefaultLastHttpContent(content, trailersFactory));
        ended = true;
    }

    private LocalReply readChunked(ByteBuf in, List<Object> out) {
        int base = in.readerIndex();
        int to = in.writerIndex();
        int before = out.size();
        trailersAt = inTrailers ? base : -1;
        parts = out;
        int end;
        try {
            end = chunks.scan(in, base + held, to, this);
        } finally {
            parts = null;
        }
        LocalReply fault = chunks.rejection();
        if (fault != null) {
            // on Netty's path the scanner refuses a read before Netty decodes any of it
            for (int i = out.size() - 1; i >= before; i--) {
                ReferenceCountUtil.release(out.remove(i));
            }
            return fault;
        }
        if (trailersAt >= 0) {
            fault = checkTrailerBytes(trailersAt, end < 0 ? to : end, end >= 0);
            if (fault != null) {
                return fault; // Netty's own limit: it has passed the data on when it meets the trailers
            }
        }
        if (end < 0) {
            // everything up to the trailer section is passed on; the section's bytes wait for its end
            inTrailers = trailersAt >= 0;
            in.readerIndex(inTrailers ? trailersAt : to);
            held = to - in.readerIndex();
            return null;
        }
        out.add(lastPart(in, trailersAt));
        in.readerIndex(end);
        held = 0;
        inTrailers = false;
        ended = true;
        return null;
    }

    @Override
    public void onData(ByteBuf buf, int index, int length) {
        for (int from = index, left = length; left > 0; ) {
            int n = Math.min(left, maxChunkSize);
            parts.add(new DefaultHttpContent(buf.retainedSlice(from, n)));
            from += n;
            left -= n;
        }
    }

    @Override
    public void onTrailerSection(int index) {
        trailersAt = index;
    }

    /**
     * Netty's limit on the trailer section: its field lines and the head's, CRLFs not counted. While the section is
     * still arriving only a bound is checked (every allowed line's CRLF and the final one included), which keeps the
     * bytes held for it bounded; once it ended, the exact count.
     */
    private LocalReply checkTrailerBytes(int from, int to, boolean complete) {
        long budget = (long) maxHeaderSize - headFieldBytes;
        if (!complete) {
            return to - from > budget + 2L * maxTrailerFields + 2 ? LocalReply.BAD_REQUEST : null;
        }
        return chunks.trailerFields().fieldLineBytes() > budget ? LocalReply.BAD_REQUEST : null;
    }

    /** The body's last part: the trailer fields of the section at {@code sectionAt}, the shared empty part without. */
    private LastHttpContent lastPart(ByteBuf in, int sectionAt) {
        RequestHeadScanner fields = chunks.trailerFields();
        int n = fields.fieldCount();
        if (n == 0) {
            return LastHttpContent.EMPTY_LAST_CONTENT;
        }
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailersFactory);
        byte[] b = new byte[fields.fieldLineEnd(n - 1)];
        in.getBytes(sectionAt, b);
        HttpHeaders trailers = last.trailingHeaders();
        for (int i = 0; i < n; i++) {
            int nameStart = fields.nameStart(i);
            int colon = fields.colon(i);
            AsciiString name = fieldName(b, nameStart, colon - nameStart);
            if (permittedInTrailers(name)) {
                trailers.add(name, fieldValue(b, colon + 1, fields.fieldLineEnd(i)));
            }
        }
        return last;
    }

    /** The name as Netty's decoder (with {@link StrictRequestDecoder}'s shared names) makes it. */
    private static AsciiString fieldName(byte[] b, int start, int length) {
        AsciiString common = CommonFieldNames.find(b, start, length);
        return common != null ? common : new AsciiString(b, start, length, true);
    }

    /** The value between {@code from} and {@code to} without the OWS around it, one char per byte. */
    private static String fieldValue(byte[] b, int from, int to) {
        int start = HttpGrammar.valueStart(b, from, to);
        return new String(b, start, HttpGrammar.valueEnd(b, start, to) - start, StandardCharsets.ISO_8859_1);
    }

    /** Netty's rule (RFC 9110 section 6.5.1): framing fields never count as trailers. */
    private static boolean permittedInTrailers(AsciiString name) {
        return !HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                && !HttpHeaderNames.TRAILER.contentEqualsIgnoreCase(name);
    }
}
