package dev.sluice.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedInput;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A response body of a given length generated on demand in 64 KiB pieces, written with the backend's
 * {@code ChunkedWriteHandler} so it follows the connection's writability: nothing is produced faster than
 * the proxy takes it. {@link #produced()} tells how far the writer got.
 */
public final class GeneratedBody implements ChunkedInput<ByteBuf> {

    private static final int PIECE = 64 * 1024;
    /** One piece of the pattern, written in bulk: per-byte writes would each be traced by the leak detector. */
    private static final byte[] PATTERN = new byte[PIECE];

    static {
        for (int i = 0; i < PIECE; i++) {
            PATTERN[i] = (byte) ('a' + i % 26);
        }
    }
    private final long length;
    private final AtomicLong produced = new AtomicLong();

    public GeneratedBody(long length) {
        this.length = length;
    }

    /** Writes a 200 with Content-Length and this body on {@code ctx}. */
    public void writeTo(ChannelHandlerContext ctx) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        ctx.write(head);
        ctx.writeAndFlush(new HttpChunkedInput(this));
    }

    public long produced() {
        return produced.get();
    }

    @Override
    public boolean isEndOfInput() {
        return produced.get() >= length;
    }

    @Override
    public void close() {
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        long left = length - produced.get();
        if (left <= 0) {
            return null;
        }
        int n = (int) Math.min(PIECE, left);
        ByteBuf buf = allocator.buffer(n);
        buf.writeBytes(PATTERN, 0, n);
        produced.addAndGet(n);
        return buf;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return produced.get();
    }
}
