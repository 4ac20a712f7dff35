package dev.sluice.core.proxy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field-line half of {@link RequestHeadScanner}: checks the field lines of a request head, or of a trailer
 * section, up to and including the empty line that ends them, against the RFC 9112 grammar. Fed plain arrays by its
 * head scanner, in any number of pieces.
 *
 * <p>Enforced, each as a {@link LocalReply} value (never an exception):
 * <ul>
 *   <li>a field line is a token name directly followed by ':' (no whitespace before the colon), a value of
 *       field-vchar, SP and HTAB only (no NUL, CR, LF or other CTL, no DEL), ended by CRLF; a line starting with SP
 *       or HTAB (obs-fold) is 400; a bare CR or a bare LF is 400;</li>
 *   <li>at most {@code maxFields} field lines (431);</li>
 *   <li>{@code Content-Length}: at most one field, its value {@code 1*DIGIT} with at most 18 digits (no sign, no
 *       list, no hex, not empty), so that it can never overflow.</li>
 * </ul>
 * It records whether a name contains '_' and, per field line, where its name starts, its colon and its CR.
 *
 * <p>The runs of a name and of a value are stepped over in tight loops (a value eight bytes at a time); every other
 * byte goes through the state machine one at a time.
 *
 * <p>Confined to its connection's event loop; reset per section. Allocates nothing per section: the positions live
 * in one array that doubles (rarely, never past {@code maxFields} fields).
 */
final class FieldLinesScanner {

    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;
    /** Reads eight value bytes at once (any alignment); the order does not matter to the checks made. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    private static final int FIELD_START = 0;
    private static final int NAME = 1;
    private static final int VALUE = 2;
    private static final int VALUE_LF = 3;
    private static final int END_LF = 4;
    private static final int DONE = 5;
    private static final int REJECTED = 6;

    /** Ints recorded per field line: name start, colon, line-ending CR. */
    private static final int PER_FIELD = 3;
    private static final int[] NO_FIELDS = {};

    private final int maxFields;
    private int state;
    private LocalReply rejection;
    private int fields;
    private int nameLength;
    private boolean nameIsContentLength;
    private boolean underscoreName;
    private boolean inContentLength;
    private int contentLengthFields;
    private int contentLengthDigits;
    private boolean contentLengthEnded;
    /** {@link #PER_FIELD} positions per field line, in order of arrival; allocated at the first field line. */
    private int[] fieldPositions = NO_FIELDS;

    /** @param maxFields the most field lines a section may have */
    FieldLinesScanner(int maxFields) {
        this.maxFields = maxFields;
        reset();
    }

    /** Prepares for the next section. */
    void reset() {
        state = FIELD_START;
        rejection = null;
        fields = 0;
        underscoreName = false;
        inContentLength = false;
        contentLengthFields = 0;
    }

    /**
     * Steps through {@code b[from, to)} until the section ends or is refused; {@code position} is where
     * {@code b[from]} lies, counted from the head's first byte, for the positions recorded.
     *
     * @return the index just after the last byte stepped through
     */
    int run(byte[] b, int from, int to, int position) {
        int delta = position - from;
        int i = from;
        while (i < to) {
            if (state == NAME) {
                i = skipName(b, i, to);
            } else if (state == VALUE && !inContentLength) {
                i = skipValue(b, i, to);
            }
            if (i == to) {
                break;
            }
            if (!step(b[i] & 0xFF, i + delta)) {
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /** Whether the section ended, with its empty line, without a fault. */
    boolean isComplete() {
        return state == DONE;
    }

    /** The reply refusing the section, or {@code null} while it conforms so far. */
    LocalReply rejection() {
        return rejection;
    }

    /** Whether a field name contains '_'. */
    boolean sawUnderscoreName() {
        return underscoreName;
    }

    /** Whether there is a {@code Content-Length} field (in any letter case). */
    boolean sawContentLength() {
        return contentLengthFields > 0;
    }

    /** The number of field lines scanned so far. */
    int fieldCount() {
        return fields;
    }

    /** Where the name of field line {@code i} starts. */
    int nameStart(int i) {
        return fieldPositions[i * PER_FIELD];
    }

    /** Where the colon ending the name of field line {@code i} is. */
    int colon(int i) {
        return fieldPositions[i * PER_FIELD + 1];
    }

    /** Where the CR ending field line {@code i} is. */
    int fieldLineEnd(int i) {
        return fieldPositions[i * PER_FIELD + 2];
    }

    /** Past the name bytes other than '_' (which is recorded), keeping the Content-Length comparison current. */
    private int skipName(byte[] b, int i, int to) {
        int length = nameLength;
        boolean contentLength = nameIsContentLength;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (!HttpGrammar.isTchar(c) || c == '_') {
                break;
            }
            contentLength &= length < CONTENT_LENGTH.length && (c | 0x20) == CONTENT_LENGTH[length];
            length++;
            i++;
        }
        nameLength = length;
        nameIsContentLength = contentLength;
        return i;
    }

    /**
     * Past the bytes of a value that is not Content-Length's: field-vchar, SP and HTAB. Eight bytes at a time while
     * every one of them is SP, VCHAR or obs-text (a browser's values are long: User-Agent, Accept, Cookie), then
     * one at a time from the first word that holds anything else (HTAB, or the CR that ends the value).
     */
    private static int skipValue(byte[] b, int i, int to) {
        while (to - i >= Long.BYTES && isPlainValueWord((long) LONGS.get(b, i))) {
            i += Long.BYTES;
        }
        while (i < to && HttpGrammar.isFieldContent(b[i] & 0xFF)) {
            i++;
        }
        return i;
    }

    /**
     * Whether all eight bytes of {@code word} are 0x20-0x7E or 0x80-0xFF: none is a control byte (below 0x20) and
     * none is DEL (0x7F). Exact, with no false answer either way: a byte's subtraction borrows from the byte above
     * only when it is itself below the bound, so a flag marks at least one byte that really is; and the lowest such
     * byte is always flagged (bytes from 0x80 never are, as their own top bit is set).
     */
    static boolean isPlainValueWord(long word) {
        long control = (word - 0x2020202020202020L) & ~word & 0x8080808080808080L; // some byte < 0x20
        long del = word ^ 0x7F7F7F7F7F7F7F7FL; // a zero byte where the word had DEL
        long hasDel = (del - 0x0101010101010101L) & ~del & 0x8080808080808080L;
        return (control | hasDel) == 0;
    }

    /** Takes byte {@code b} at {@code position}; false once the section ended or was refused. */
    private boolean step(int b, int position) {
        return switch (state) {
            case FIELD_START, NAME -> name(b, position);
            case VALUE, VALUE_LF -> value(b, position);
            case END_LF -> end(b);
            default -> false;
        };
    }

    private boolean reject(LocalReply reply) {
        rejection = reply;
        state = REJECTED;
        return false;
    }

    private boolean name(int b, int position) {
        if (state == FIELD_START) {
            if (b == '\r') {
                state = END_LF;
                return true;
            }
            if (!HttpGrammar.isTchar(b)) {
                return reject(LocalReply.BAD_REQUEST); // includes obs-fold: a line starting with SP or HTAB
            }
            if (++fields > maxFields) {
                return reject(LocalReply.HEADER_TOO_LARGE);
            }
            if (fields * PER_FIELD > fieldPositions.length) { // doubles; fields <= maxFields, so the new one fits
                int capacity = (int) Math.min(maxFields, Math.max(16, 2L * fieldPositions.length / PER_FIELD));
                fieldPositions = Arrays.copyOf(fieldPositions, capacity * PER_FIELD);
            }
            fieldPositions[(fields - 1) * PER_FIELD] = position;
            state = NAME;
            nameLength = 0;
            nameIsContentLength = true;
        }
        if (b == ':') {
            return endName(position);
        }
        if (!HttpGrammar.isTchar(b)) {
            return reject(LocalReply.BAD_REQUEST); // includes whitespace before the colon
        }
        if (b == '_') {
            underscoreName = true;
        }
        // (b | 0x20) lower-cases letters and keeps '-'; no other token byte maps onto a letter or '-'.
        nameIsContentLength &= nameLength < CONTENT_LENGTH.length && (b | 0x20) == CONTENT_LENGTH[nameLength];
        nameLength++;
        return true;
    }

    private boolean endName(int position) {
        fieldPositions[(fields - 1) * PER_FIELD + 1] = position;
        state = VALUE;
        inContentLength = nameIsContentLength && nameLength == CONTENT_LENGTH.length;
        if (inContentLength) {
            contentLengthDigits = 0;
            contentLengthEnded = false;
            if (++contentLengthFields > 1) {
                return reject(LocalReply.BAD_REQUEST);
            }
        }
        return true;
    }

    private boolean value(int b, int position) {
        if (state == VALUE_LF) {
            state = FIELD_START;
            return b == '\n' || reject(LocalReply.BAD_REQUEST);
        }
        if (b == '\r') {
            fieldPositions[(fields - 1) * PER_FIELD + 2] = position;
            state = VALUE_LF;
            return !inContentLength || contentLengthDigits > 0 || reject(LocalReply.BAD_REQUEST);
        }
        if (b == ' ' || b == '\t') {
            contentLengthEnded = inContentLength && contentLengthDigits > 0;
            return true;
        }
        if (!HttpGrammar.isFieldVchar(b)) {
            return reject(LocalReply.BAD_REQUEST);
        }
        if (inContentLength && (b < '0' || b > '9' || contentLengthEnded
                || ++contentLengthDigits > MAX_CONTENT_LENGTH_DIGITS)) {
            return reject(LocalReply.BAD_REQUEST);
        }
        return true;
    }

    private boolean end(int b) {
        if (b != '\n') {
            return reject(LocalReply.BAD_REQUEST);
        }
        state = DONE;
        return false;
    }
}
