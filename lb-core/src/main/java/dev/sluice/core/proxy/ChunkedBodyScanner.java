package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Checks the framing of a chunked body (RFC 9112 section 7.1) byte by byte: a request's before Netty's decoder
 * reads it, a backend's response as it is relayed. Stricter than the RFC where leniency has been used for smuggling:
 * <ul>
 *   <li>chunk size: 1*HEXDIG only, no sign, no "0x", no whitespace anywhere on the line (not even the "bad
 *       whitespace" the RFC tolerates before ';'), at most {@link Integer#MAX_VALUE};</li>
 *   <li>chunk extensions: {@code ;name[=token|quoted-string]} without whitespace, at most
 *       {@value #MAX_EXTENSION_BYTES} bytes per line; a quoted string never contains CR or LF;</li>
 *   <li>a chunk-size line (size and extensions, CRLF not counted) of at most {@code maxLineBytes} bytes, the limit
 *       Netty's decoder puts on it (the request line's);</li>
 *   <li>every line, and every chunk's data, ends with exactly CRLF;</li>
 *   <li>the trailer section obeys the field-line grammar of {@link FieldLinesScanner} (scanned through a {@link RequestHeadScanner} reset for trailers).</li>
 * </ul>
 * Data bytes are skipped, not looked at. Faults are {@link LocalReply#BAD_REQUEST} values.
 *
 * <p>Confined to its connection's event loop; one instance per connection, reset per message. Allocates nothing.
 */
final class ChunkedBodyScanner implements ByteProcessor {

    static final int MAX_EXTENSION_BYTES = 4096;

    private static final int SIZE_FIRST = 0;
    private static final int SIZE = 1;
    private static final int EXT_NAME_FIRST = 2;
    private static final int EXT_NAME = 3;
    private static final int EXT_VALUE_FIRST = 4;
    private static final int EXT_TOKEN = 5;
    private static final int EXT_QUOTED = 6;
    private static final int EXT_QUOTED_PAIR = 7;
    private static final int EXT_QUOTE_END = 8;
    private static final int SIZE_LF = 9;
    private static final int DATA = 10;
    private static final int DATA_CR = 11;
    private static final int DATA_LF = 12;
    private static final int TRAILERS = 13;
    private static final int DONE = 14;
    private static final int REJECTED = 15;

    private final RequestHeadScanner trailers;
    private final int maxLineBytes;
    private int state;
    /** Bytes of the current chunk-size line so far, its CRLF not counted. */
    private int lineBytes;
    private long size;
    private long dataLeft;
    private int extensionBytes;
    private LocalReply rejection;

    /** @param maxTrailerFields the most trailer field lines a body may end with */
    ChunkedBodyScanner(int maxTrailerFields) {
        this(maxTrailerFields, Integer.MAX_VALUE);
    }

    /**
     * @param maxTrailerFields the most trailer field lines a body may end with
     * @param maxLineBytes     the longest chunk-size line, in bytes without its CRLF
     */
    ChunkedBodyScanner(int maxTrailerFields, int maxLineBytes) {
        this.trailers = new RequestHeadScanner(maxTrailerFields);
        this.maxLineBytes = maxLineBytes;
        reset();
    }

    /** Prepares for the next chunked body. */
    void reset() {
        state = SIZE_FIRST;
        lineBytes = 0;
        rejection = null;
    }

    /**
     * The field lines of the trailer section of the body that ended last, positions counted from the section's
     * first byte ({@link DataListener#onTrailerSection}); valid until the next {@link #reset}.
     */
    RequestHeadScanner trailerFields() {
        return trailers;
    }

    /** The reply refusing the body, or {@code null} while it conforms so far. */
    LocalReply rejection() {
        return rejection;
    }

    /**
     * Scans {@code buf} from {@code from} (inclusive) to {@code to} (exclusive), continuing where the previous
     * call stopped.
     *
     * @return the index just after the body's end (the CRLF closing the trailer section) when it ended within
     *         the range, else -1; then {@link #rejection()} tells whether the body was refused
     */
    int scan(ByteBuf buf, int from, int to) {
        return scan(buf, from, to, null);
    }

    /** Where the data of a chunked body lies, range by range, in the order scanned, and where its trailers begin. */
    interface DataListener {
        /** The {@code length} bytes of {@code buf} at {@code index} are chunk data. */
        void onData(ByteBuf buf, int index, int length);

        /** The trailer section (field lines, then the CRLF that ends the body) begins at {@code index}. */
        default void onTrailerSection(int index) {
        }
    }

    /**
     * As {@link #scan(ByteBuf, int, int)}, telling {@code data} (when not {@code null}) where the chunk data lies,
     * so a caller can take the data without its framing.
     */
    int scan(ByteBuf buf, int from, int to, DataListener data) {
        int i = from;
        while (i < to) {
            switch (state) {
                case DATA -> {
                    // Data is skipped in bulk: only the framing around it is checked.
                    int skip = (int) Math.min(dataLeft, to - i);
                    if (data != null && skip > 0) {
                        data.onData(buf, i, skip);
                    }
                    i += skip;
                    dataLeft -= skip;
                    if (dataLeft == 0) {
                        state = DATA_CR;
                    }
                }
                case TRAILERS -> {
                    int end = trailers.scan(buf, i, to);
                    if (trailers.rejection() != null) {
                        return reject(trailers.rejection() == LocalReply.HEADER_TOO_LARGE
                                ? LocalReply.HEADER_TOO_LARGE : LocalReply.BAD_REQUEST);
                    }
                    if (end < 0) {
                        return -1;
                    }
                    state = DONE;
                    return end;
                }
                case DONE, REJECTED -> {
                    return -1;
                }
                default -> {
                    int stop = buf.forEachByte(i, to - i, this);
                    if (state == REJECTED) {
                        return -1;
                    }
                    if (stop < 0) {
                        return -1;
                    }
                    i = stop + 1;
                    if (state == TRAILERS && data != null) {
                        data.onTrailerSection(i);
                    }
                }
            }
        }
        return -1;
    }

    private int reject(LocalReply reply) {
        rejection = reply;
        state = REJECTED;
        return -1;
    }

    private boolean fault() {
        rejection = LocalReply.BAD_REQUEST;
        state = REJECTED;
        return false;
    }

    /** Line bytes; returns false when the line ended (the caller then skips data or scans trailers) or on a fault. */
    @Override
    public boolean process(byte value) {
        int b = value & 0xFF;
        if (state >= EXT_NAME_FIRST && state <= EXT_QUOTE_END && ++extensionBytes > MAX_EXTENSION_BYTES) {
            return fault();
        }
        if (state <= EXT_QUOTE_END && b != '\r' && ++lineBytes > maxLineBytes) {
            return fault();
        }
        return switch (state) {
            case SIZE_FIRST, SIZE -> size(b);
            case EXT_NAME_FIRST, EXT_NAME, EXT_VALUE_FIRST, EXT_TOKEN -> extensionToken(b);
            case EXT_QUOTED, EXT_QUOTED_PAIR, EXT_QUOTE_END -> extensionQuoted(b);
            case SIZE_LF -> lineEnd(b);
            case DATA_CR -> {
                state = DATA_LF;
                yield b == '\r' || fault(); // chunk data must be followed by CRLF
            }
            case DATA_LF -> {
                state = SIZE_FIRST;
                lineBytes = 0;
                yield b == '\n' || fault();
            }
            default -> fault();
        };
    }

    private boolean size(int b) {
        int digit = HttpGrammar.hexValue(b);
        if (digit >= 0) {
            if (state == SIZE_FIRST) {
                size = 0;
                state = SIZE;
            }
            size = size * 16 + digit;
            return size <= Integer.MAX_VALUE || fault();
        }
        if (state == SIZE_FIRST) {
            return fault();
        }
        return afterValue(b);
    }

    /** After a size or an extension: ';' starts an extension, CR ends the line, anything else is a fault. */
    private boolean afterValue(int b) {
        if (b == ';') {
            if (state == SIZE) {
                extensionBytes = 1;
            }
            state = EXT_NAME_FIRST;
            return true;
        }
        if (b == '\r') {
            state = SIZE_LF;
            return true;
        }
        return fault();
    }

    private boolean extensionToken(int b) {
        switch (state) {
            case EXT_NAME_FIRST -> {
                state = EXT_NAME;
                return HttpGrammar.isTchar(b) || fault();
            }
            case EXT_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_FIRST;
                    return true;
                }
            }
            case EXT_VALUE_FIRST -> {
                if (b == '"') {
                    state = EXT_QUOTED;
                    return true;
                }
                state = EXT_TOKEN;
                return HttpGrammar.isTchar(b) || fault();
            }
            default -> { }
        }
        return HttpGrammar.isTchar(b) || afterValue(b);
    }

    private boolean extensionQuoted(int b) {
        switch (state) {
            case EXT_QUOTED -> {
                if (b == '"') {
                    state = EXT_QUOTE_END;
                    return true;
                }
                if (b == '\\') {
                    state = EXT_QUOTED_PAIR;
                    return true;
                }
                return HttpGrammar.isQdtext(b) || fault(); // CR, LF and other CTLs end here
            }
            case EXT_QUOTED_PAIR -> {
                state = EXT_QUOTED;
                return b == '\t' || b == ' ' || HttpGrammar.isFieldVchar(b) || fault();
            }
            default -> {
                return afterValue(b);
            }
        }
    }

    private boolean lineEnd(int b) {
        if (b != '\n') {
            return fault();
        }
        if (size == 0) {
            state = TRAILERS;
            trailers.resetForTrailers();
        } else {
            state = DATA;
            dataLeft = size;
        }
        return false;
    }
}
