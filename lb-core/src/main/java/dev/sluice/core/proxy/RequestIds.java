package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Generates {@code X-Request-Id} values: a random 64-bit per-loop prefix and a counter, as 32 lower-case hex
 * digits. Unique across loops and restarts with overwhelming probability, and cheap: no random draw per request.
 * Confined to its event loop.
 *
 * <p>An id is its counter value ({@link #next()}), a {@code long}: nothing is allocated per id. Its digits are
 * written straight into the outgoing buffer ({@link #write}).
 */
final class RequestIds {

    /** The number of hex digits of an id. */
    static final int LENGTH = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final long prefix;
    private long counter;

    RequestIds() {
        this(new SecureRandom().nextLong());
    }

    /** @param prefix the first 16 digits of every id (random in production; fixed in tests) */
    RequestIds(long prefix) {
        this.prefix = prefix;
    }

    /** The next id. */
    long next() {
        return ++counter;
    }

    /** Writes the 32 digits of {@code id}: 16 of the prefix, then 16 of the counter. */
    void write(long id, ByteBuf buf) {
        buf.ensureWritable(LENGTH);
        int at = buf.writerIndex();
        setHex(buf, at, prefix);
        setHex(buf, at + LENGTH / 2, id);
        buf.writerIndex(at + LENGTH);
    }

    private static void setHex(ByteBuf buf, int at, long word) {
        for (int i = 0; i < 16; i++) {
            buf.setByte(at + i, HEX[(int) (word >>> ((15 - i) * 4)) & 0xF]);
        }
    }
}
