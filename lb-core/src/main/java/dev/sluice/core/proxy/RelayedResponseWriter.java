package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.CharsetUtil;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes the bytes of a relayed response as the client gets them: the head Sluice sends for a backend's head
 * (its own status line version and framing fields, the backend's other fields as they arrived) and, for a body
 * the backend delimited by closing, the chunked framing Sluice adds for an HTTP/1.1 client.
 *
 * <p>Stateless; called on event loops. Allocates the buffers it returns (pooled).
 */
final class RelayedResponseWriter {

    /** What Sluice adds to a relayed head: its own framing and connection fields. */
    enum Framing {
        /** Nothing: {@code Content-Length} (or no body) frames the response as the backend sent it. */
        AS_RECEIVED,
        /** {@code Transfer-Encoding: chunked}: the body is (or, for HEAD, would be) chunked. */
        CHUNKED
    }

    /** What the {@code Connection} field says, if anything. */
    enum Persistence { DEFAULT, CLOSE, KEEP_ALIVE }

    private static final byte[] TE_CHUNKED = "transfer-encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_KEEP_ALIVE = "connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int EXTRA_BYTES = 64;

    private RelayedResponseWriter() {
    }

    /**
     * The head for {@code head} as it arrived: one buffer, its unchanged field lines copied in runs, with room for
     * {@code bodyRoom} more bytes after it (a small body to send with it).
     */
    static ByteBuf head(ByteBufAllocator alloc, ResponseHead head, Framing framing, Persistence persistence,
                        int bodyRoom) {
        ByteBuf out = alloc.buffer(head.size() + EXTRA_BYTES + bodyRoom);
        head.writeStatusLine(out);
        head.writeFields(out);
        end(out, framing, persistence);
        return out;
    }

    /**
     * The head for {@code head} with fields that filters set ({@code setResponseFields}): its status line, its
     * field lines copied as for {@link #head(ByteBufAllocator, ResponseHead, Framing, Persistence, int)} but for those
     * whose name {@code fields} has, then {@code fields} (which must hold no framing or hop-by-hop name), then the
     * framing and connection fields; {@code bodyRoom} as there.
     */
    static ByteBuf head(ByteBufAllocator alloc, ResponseHead head, HttpHeaders fields, Framing framing,
                        Persistence persistence, int bodyRoom) {
        ByteBuf out = alloc.buffer(head.size() + EXTRA_BYTES + bodyRoom);
        head.writeStatusLine(out);
        head.writeFields(out, fields);
        writeFields(out, fields);
        end(out, framing, persistence);
        return out;
    }

    /**
     * The head for {@code response}, a backend's head that filters have seen (and may have changed);
     * {@code bodyRoom} as for {@link #head(ByteBufAllocator, ResponseHead, Framing, Persistence, int)}.
     */
    static ByteBuf head(ByteBufAllocator alloc, HttpResponse response, Framing framing, Persistence persistence,
                        int bodyRoom) {
        ByteBuf out = alloc.buffer(256 + bodyRoom);
        out.writeCharSequence("HTTP/1.1 ", CharsetUtil.US_ASCII);
        out.writeCharSequence(response.status().codeAsText(), CharsetUtil.US_ASCII);
        out.writeByte(' ');
        out.writeCharSequence(response.status().reasonPhrase(), CharsetUtil.ISO_8859_1);
        out.writeShort(ResponseHead.CRLF);
        writeFields(out, response.headers());
        end(out, framing, persistence);
        return out;
    }

    /** Writes each field of {@code headers} as a {@code name: value} line. */
    private static void writeFields(ByteBuf out, HttpHeaders headers) {
        if (headers.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            out.writeCharSequence(field.getKey(), CharsetUtil.US_ASCII);
            out.writeByte(':');
            out.writeByte(' ');
            out.writeCharSequence(field.getValue(), CharsetUtil.ISO_8859_1);
            out.writeShort(ResponseHead.CRLF);
        }
    }

    private static void end(ByteBuf out, Framing framing, Persistence persistence) {
        if (framing == Framing.CHUNKED) {
            out.writeBytes(TE_CHUNKED);
        }
        if (persistence == Persistence.CLOSE) {
            out.writeBytes(CONNECTION_CLOSE);
        } else if (persistence == Persistence.KEEP_ALIVE) {
            out.writeBytes(CONNECTION_KEEP_ALIVE);
        }
        out.writeShort(ResponseHead.CRLF);
    }

    /** {@code data} as one chunk (size line, data, CRLF), or nothing when it is empty; takes {@code data}. */
    static ByteBuf chunk(ByteBufAllocator alloc, ByteBuf data) {
        int n = data.readableBytes();
        if (n == 0) {
            return data;
        }
        ByteBuf out = alloc.buffer(n + 12);
        ByteBufUtil.writeAscii(out, Integer.toHexString(n));
        out.writeShort(ResponseHead.CRLF);
        out.writeBytes(data);
        out.writeShort(ResponseHead.CRLF);
        data.release();
        return out;
    }

    /** The last chunk with no trailer section: {@code 0 CRLF CRLF}. */
    static ByteBuf lastChunk(ByteBufAllocator alloc) {
        return alloc.buffer(LAST_CHUNK.length).writeBytes(LAST_CHUNK);
    }
}
