package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Checks the raw bytes of a request head against the RFC 9112 grammar before Netty's lenient parser sees them,
 * so that nothing Netty would tolerate, normalise or fold can reach a backend. Incremental: the head may arrive
 * in any number of pieces, and each byte is looked at once.
 *
 * <p>Enforced here, each as a {@link LocalReply} value (never an exception):
 * <ul>
 *   <li>before the request line only empty lines (CRLF), at most {@value #MAX_LEADING_EMPTY_LINES};</li>
 *   <li>request line: {@code token SP request-target SP HTTP/DIGIT.DIGIT CRLF}, exactly one SP between the
 *       parts; the target holds only RFC 3986 bytes (no CTL, SP, '#', '"', '\', '{', ...) and well-formed
 *       pct-encodings; a well-formed version other than 1.0 and 1.1 is 505, anything else 400; a bare CR or a bare
 *       LF is 400.</li>
 * </ul>
 * The field lines that follow are checked by a {@link FieldLinesScanner} (whitespace after the request line is
 * obs-fold there, 400); whether a field name contains '_' is recorded ({@link #sawUnderscoreName()}) for the
 * decoder, which drops such fields. Trailer sections ({@link #resetForTrailers()}) are field lines only.
 *
 * <p>It also records where the parts of the head lie, counted from the head's first byte (leading CRLFs included):
 * the request line's parts and, per field line, its name's start, its colon and its CR, so that
 * {@link ScannedRequestBuilder} can build a request without parsing the head again. Valid until the next reset.
 * A head of at most {@code keepLimit} bytes is also kept, copied into one array ({@link #headBytes()}), so that the
 * builder reads it from there.
 *
 * <p>Scanning reads plain arrays: each range is copied out of the buffer in bulk (into the kept head, or a small
 * scratch array once a head outgrows {@code keepLimit}), and the long runs of a head (target, field names, field
 * values) are stepped over in tight loops; every other byte goes through a state machine one at a time.
 *
 * <p>Confined to its connection's event loop; one instance per connection, reset per message. Allocates nothing
 * per message: the field positions and the kept head live in arrays that double (rarely: never past
 * {@code maxFields} fields and {@code keepLimit} bytes).
 */
final class RequestHeadScanner {

    static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final byte[] HTTP_SLASH = "HTTP/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final int LEAD = 0;
    private static final int LEAD_LF = 1;
    private static final int METHOD = 2;
    private static final int TARGET_FIRST = 3;
    private static final int TARGET = 4;
    private static final int TARGET_PCT1 = 5;
    private static final int TARGET_PCT2 = 6;
    private static final int VERSION_NAME = 7;
    private static final int VERSION_MAJOR = 8;
    private static final int VERSION_DOT = 9;
    private static final int VERSION_MINOR = 10;
    private static final int VERSION_CR = 11;
    private static final int LINE_LF = 12;
    /** In the field lines: {@link #fieldLines} takes the bytes. */
    private static final int FIELDS = 13;
    private static final int DONE = 14;
    private static final int REJECTED = 15;

    private static final byte[] NO_BYTES = {};
    /** The most bytes copied out of the buffer at once. */
    private static final int STEP = 1024;

    private final FieldLinesScanner fieldLines;
    private final int keepLimit;
    private int state;
    private LocalReply rejection;
    private int leadingLines;
    private int versionIndex;
    private int major;
    private int minor;
    /** Position of the byte being processed, counted from the head's first byte. */
    private int position;
    private int lineStart;
    private int methodEnd;
    private int targetEnd;
    private int lineEnd;
    /** The head's bytes from its first, while {@link #kept}; grows up to {@code keepLimit} bytes. */
    private byte[] head = NO_BYTES;
    /** Whether {@link #head} holds every byte scanned since the last reset. */
    private boolean kept;
    /** Where the bytes of a head that is not kept are scanned; allocated at first use. */
    private byte[] scratch = NO_BYTES;

    /** A scanner that keeps no head: for trailer sections, which are only checked. */
    RequestHeadScanner(int maxFields) {
        this(maxFields, 0);
    }

    /**
     * @param maxFields the most field lines a head may have
     * @param keepLimit the longest head, in bytes, to keep for {@link #headBytes()}
     */
    RequestHeadScanner(int maxFields, int keepLimit) {
        this.fieldLines = new FieldLinesScanner(maxFields);
        this.keepLimit = keepLimit;
        reset();
    }

    /** Prepares for the next request head. */
    void reset() {
        start(LEAD);
    }

    /** Prepares for a trailer section: field lines up to an empty line, no request line. */
    void resetForTrailers() {
        start(FIELDS);
    }

    private void start(int first) {
        state = first;
        rejection = null;
        leadingLines = 0;
        versionIndex = 0;
        position = 0;
        kept = true;
        fieldLines.reset();
    }

    /**
     * Scans {@code buf} from {@code from} (inclusive) to {@code to} (exclusive), continuing where the previous
     * call stopped.
     *
     * @return the index just after the head's final CRLF when the head ended within the range, else -1; after a
     *         -1, {@link #rejection()} tells whether the head was refused or just needs more bytes
     */
    int scan(ByteBuf buf, int from, int to) {
        if (state == DONE || state == REJECTED) {
            return -1;
        }
        while (from < to) {
            int n = Math.min(to - from, STEP);
            if (kept && position + n > keepLimit) {
                // Keep as much as fits: the head may end within it (what follows is the next message's).
                if (position < keepLimit) {
                    n = keepLimit - position;
                } else {
                    kept = false;
                }
            }
            byte[] b;
            int start;
            if (kept) {
                if (position + n > head.length) {
                    head = java.util.Arrays.copyOf(head, Math.min(keepLimit, Math.max(position + n, 2 * head.length)));
                }
                b = head;
                start = position;
            } else {
                if (scratch.length == 0) {
                    scratch = new byte[STEP];
                }
                b = scratch;
                start = 0;
            }
            buf.getBytes(from, b, start, n);
            from += run(b, start, start + n) - start;
            if (state == DONE) {
                return from;
            }
            if (state == REJECTED) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Steps through {@code b[from, to)}, the bytes from {@link #position} on, until the head ends or is refused.
     *
     * @return the index just after the last byte stepped through
     */
    private int run(byte[] b, int from, int to) {
        int i = from;
        while (i < to && state < FIELDS) {
            if (state == TARGET) {
                int skipTo = skipTarget(b, i, to);
                position += skipTo - i;
                i = skipTo;
            }
            if (i < to && !step(b[i++] & 0xFF)) {
                return i;
            }
        }
        if (i < to && state == FIELDS) {
            int end = fieldLines.run(b, i, to, position);
            position += end - i;
            i = end;
            if (fieldLines.isComplete()) {
                state = DONE;
            } else if (fieldLines.rejection() != null) {
                reject(fieldLines.rejection());
            }
        }
        return i;
    }

    /** Past the target bytes that leave the state as it is: all but '%', which starts a pct-encoding, and SP. */
    private static int skipTarget(byte[] b, int i, int to) {
        while (i < to) {
            int c = b[i] & 0xFF;
            if (!HttpGrammar.isTargetByte(c) || c == '%') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * The bytes of the head, from its first (leading CRLFs included) to the last scanned, when it is kept: no longer
     * than {@code keepLimit} bytes so far; else {@code null}. Valid until the next scan or reset.
     */
    byte[] headBytes() {
        return kept ? head : null;
    }

    /**
     * Lets the caller keep the array {@link #headBytes()} answered, and keeps the next head in {@code replacement}
     * (of any length; it grows as needed). Only for a head that is kept and complete.
     */
    void replaceHeadBytes(byte[] replacement) {
        head = replacement;
    }

    /** The reply refusing the head, or {@code null} while it conforms so far. */
    LocalReply rejection() {
        return rejection;
    }

    /** Whether the head was scanned to its end without a fault. */
    boolean isComplete() {
        return state == DONE;
    }

    /** Whether a field name of the head contains '_'. */
    boolean sawUnderscoreName() {
        return fieldLines.sawUnderscoreName();
    }

    /** Whether the head has a {@code Content-Length} field (in any letter case). */
    boolean sawContentLength() {
        return fieldLines.sawContentLength();
    }

    /** The bytes scanned since the last reset: once the head is complete, its length. */
    int length() {
        return position;
    }

    /** Where the method starts, which is also the number of leading CRLF bytes. */
    int lineStart() {
        return lineStart;
    }

    /** Where the SP after the method is. */
    int methodEnd() {
        return methodEnd;
    }

    /** Where the SP after the request-target is. */
    int targetEnd() {
        return targetEnd;
    }

    /** Where the CR ending the request line is. */
    int lineEnd() {
        return lineEnd;
    }

    /** The minor digit of the HTTP version (the major is always 1 in an accepted head). */
    int minorVersion() {
        return minor;
    }

    /** The number of field lines scanned so far. */
    int fieldCount() {
        return fieldLines.fieldCount();
    }

    /** Where the name of field line {@code i} starts. */
    int nameStart(int i) {
        return fieldLines.nameStart(i);
    }

    /** Where the colon ending the name of field line {@code i} is. */
    int colon(int i) {
        return fieldLines.colon(i);
    }

    /** Where the CR ending field line {@code i} is. */
    int fieldLineEnd(int i) {
        return fieldLines.fieldLineEnd(i);
    }

    /** The bytes of the field lines scanned so far, CRLFs not counted: what Netty counts against its header limit. */
    long fieldLineBytes() {
        long bytes = 0;
        for (int i = 0, n = fieldCount(); i < n; i++) {
            bytes += fieldLineEnd(i) - nameStart(i);
        }
        return bytes;
    }

    private boolean reject(LocalReply reply) {
        rejection = reply;
        state = REJECTED;
        return false;
    }

    /** Takes the byte at {@link #position} of the request line; false once it was refused. */
    private boolean step(int b) {
        boolean more = switch (state) {
            case LEAD, LEAD_LF, METHOD -> requestLineStart(b);
            case TARGET_FIRST, TARGET, TARGET_PCT1, TARGET_PCT2 -> target(b);
            default -> version(b);
        };
        position++; // after the step, so that the step records the position of its own byte
        return more;
    }

    private boolean requestLineStart(int b) {
        if (state == LEAD_LF) {
            state = LEAD;
            return b == '\n' || reject(LocalReply.BAD_REQUEST);
        }
        if (state == LEAD && b == '\r') {
            state = LEAD_LF;
            return ++leadingLines <= MAX_LEADING_EMPTY_LINES || reject(LocalReply.BAD_REQUEST);
        }
        if (HttpGrammar.isTchar(b)) {
            if (state == LEAD) {
                lineStart = position;
            }
            state = METHOD;
            return true;
        }
        if (state == METHOD && b == ' ') {
            methodEnd = position;
            state = TARGET_FIRST;
            return true;
        }
        return reject(LocalReply.BAD_REQUEST);
    }

    private boolean target(int b) {
        switch (state) {
            case TARGET_PCT1, TARGET_PCT2 -> {
                state = state == TARGET_PCT1 ? TARGET_PCT2 : TARGET;
                return HttpGrammar.hexValue(b) >= 0 || reject(LocalReply.BAD_REQUEST);
            }
            case TARGET -> {
                if (b == ' ') {
                    targetEnd = position;
                    state = VERSION_NAME;
                    versionIndex = 0;
                    return true;
                }
            }
            default -> { }
        }
        if (!HttpGrammar.isTargetByte(b)) {
            return reject(LocalReply.BAD_REQUEST);
        }
        state = b == '%' ? TARGET_PCT1 : TARGET;
        return true;
    }

    private boolean version(int b) {
        switch (state) {
            case VERSION_NAME -> {
                if (b != HTTP_SLASH[versionIndex]) {
                    return reject(LocalReply.BAD_REQUEST);
                }
                if (++versionIndex == HTTP_SLASH.length) {
                    state = VERSION_MAJOR;
                }
                return true;
            }
            case VERSION_MAJOR, VERSION_MINOR -> {
                if (b < '0' || b > '9') {
                    return reject(LocalReply.BAD_REQUEST);
                }
                if (state == VERSION_MAJOR) {
                    major = b - '0';
                    state = VERSION_DOT;
                } else {
                    minor = b - '0';
                    state = VERSION_CR;
                }
                return true;
            }
            case VERSION_DOT -> {
                state = VERSION_MINOR;
                return b == '.' || reject(LocalReply.BAD_REQUEST);
            }
            case VERSION_CR -> {
                state = LINE_LF;
                lineEnd = position;
                return b == '\r' || reject(LocalReply.BAD_REQUEST);
            }
            default -> {
                if (b != '\n') {
                    return reject(LocalReply.BAD_REQUEST);
                }
                if (major != 1 || minor > 1) {
                    return reject(LocalReply.HTTP_VERSION_NOT_SUPPORTED);
                }
                state = FIELDS;
                return true;
            }
        }
    }
}
