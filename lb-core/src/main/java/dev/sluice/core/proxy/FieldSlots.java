package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The storage behind {@link HeadFields}: a request head's fields in order, each in a numbered slot. A field the
 * client sent is the positions of its name and of its value (OWS trimmed) in the head's bytes; a field added later
 * holds its name and value objects; a removed field keeps its slot, marked. Slots are numbered from 0 up to
 * {@link #slots()}; the questions about one slot ({@link #nameIs}, {@link #valueIs}, {@link #hasElement}) allocate
 * nothing, and a value becomes a {@code String} only in {@link #string}, which keeps it per slot for the next head.
 *
 * <p>Confined to its connection's event loop; reused for every head of the connection. Its arrays double when a
 * head has more fields than any before it.
 */
final class FieldSlots {

    private static final short COLON_SPACE = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final int INITIAL_SLOTS = 16;

    /** The head's bytes, which the positions point into. */
    private byte[] bytes = new byte[0];
    private int slots;
    private int live;
    private int[] nameStart = new int[INITIAL_SLOTS];
    private int[] nameLength = new int[INITIAL_SLOTS];
    /** Where a received field's value starts; -1 for an added field. */
    private int[] valueStart = new int[INITIAL_SLOTS];
    private int[] valueLength = new int[INITIAL_SLOTS];
    private boolean[] removed = new boolean[INITIAL_SLOTS];
    /** A received field's name once materialised ({@link #name}), or an added field's name; else null. */
    private CharSequence[] names = new CharSequence[INITIAL_SLOTS];
    /** An added field's value; null for a received field. */
    private CharSequence[] values = new CharSequence[INITIAL_SLOTS];
    /** The last string materialised in each slot, reused while the text there stays the same. */
    private String[] strings = new String[INITIAL_SLOTS];

    /** Starts over with the fields of a new head whose bytes are {@code bytes}; returns the previous head's bytes. */
    byte[] reset(byte[] bytes) {
        byte[] previous = this.bytes;
        this.bytes = bytes;
        slots = 0;
        live = 0;
        return previous;
    }

    /** Empties it, keeping the head's bytes. */
    void clear() {
        slots = 0;
        live = 0;
    }

    /** Appends a received field: its name at {@code [nameFrom, nameFrom + nameLen)}, its value likewise. */
    void addReceived(int nameFrom, int nameLen, int valueFrom, int valueLen) {
        int slot = newSlot();
        nameStart[slot] = nameFrom;
        nameLength[slot] = nameLen;
        valueStart[slot] = valueFrom;
        valueLength[slot] = valueLen;
    }

    /** Appends an added field. */
    void addObjects(CharSequence name, CharSequence value) {
        int slot = newSlot();
        names[slot] = name;
        values[slot] = value;
        valueStart[slot] = -1;
    }

    /** Removes every field named {@code name}. */
    void remove(CharSequence name) {
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name)) {
                removed[i] = true;
                live--;
            }
        }
    }

    /**
     * Removes every field named any of {@code any}, in one pass over the fields: each field's name is compared
     * only with the given names of its length.
     */
    void removeAny(CharSequence[] any) {
        for (int i = 0; i < slots; i++) {
            if (removed[i]) {
                continue;
            }
            int length = names[i] != null ? names[i].length() : nameLength[i];
            for (CharSequence name : any) {
                if (name.length() == length && nameIs(i, name)) {
                    removed[i] = true;
                    live--;
                    break;
                }
            }
        }
    }

    /** The number of slots, removed ones included: slot numbers run from 0 to this, exclusive. */
    int slots() {
        return slots;
    }

    /** The number of fields. */
    int live() {
        return live;
    }

    /** The first slot from {@code from} on that holds a field, or {@link #slots()}. */
    int nextLive(int from) {
        int i = from;
        while (i < slots && removed[i]) {
            i++;
        }
        return i;
    }

    /** The first slot from {@code from} on that holds a field named {@code name}, or -1. */
    int next(CharSequence name, int from) {
        for (int i = from; i < slots; i++) {
            if (!removed[i] && nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Writes every field as a field line ({@code name: value CRLF}), in order: received fields from the head's
     * bytes, added ones a byte per char, as Netty's encoder writes them.
     */
    void writeTo(ByteBuf buf) {
        for (int i = 0; i < slots; i++) {
            if (removed[i]) {
                continue;
            }
            if (valueStart[i] >= 0) { // received: name and value as they arrived, OWS around the value dropped
                buf.writeBytes(bytes, nameStart[i], nameLength[i]);
                buf.writeShort(COLON_SPACE);
                buf.writeBytes(bytes, valueStart[i], valueLength[i]);
            } else {
                ByteBufUtil.writeAscii(buf, names[i]);
                buf.writeShort(COLON_SPACE);
                ByteBufUtil.writeAscii(buf, values[i]);
            }
            buf.writeShort(CRLF);
        }
    }

    /** Whether slot {@code i}'s field is named {@code name}, ignoring ASCII letter case (names are tokens). */
    boolean nameIs(int i, CharSequence name) {
        CharSequence own = names[i];
        if (own != null) {
            return AsciiString.contentEqualsIgnoreCase(own, name);
        }
        int length = nameLength[i];
        if (length != name.length()) {
            return false;
        }
        int start = nameStart[i];
        for (int k = 0; k < length; k++) {
            if (lower(bytes[start + k] & 0xFF) != lower(name.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Slot {@code i}'s name: for a received field a shared common name or a copy of its bytes, kept once made. */
    CharSequence name(int i) {
        CharSequence own = names[i];
        if (own == null) {
            AsciiString common = CommonFieldNames.find(bytes, nameStart[i], nameLength[i]);
            own = common != null ? common : new AsciiString(bytes, nameStart[i], nameLength[i], true);
            names[i] = own;
        }
        return own;
    }

    /** Slot {@code i}'s value as a map entry shows it: a string for a received field, the object for an added one. */
    CharSequence value(int i) {
        return valueStart[i] >= 0 ? string(i) : values[i];
    }

    /** Slot {@code i}'s value as a string: for a received field, the one kept in the slot when its text is the same. */
    String string(int i) {
        if (valueStart[i] < 0) {
            return values[i].toString();
        }
        String kept = strings[i];
        int start = valueStart[i];
        int length = valueLength[i];
        if (kept != null && HttpGrammar.sameText(kept, bytes, start, length)) {
            return kept;
        }
        // one char per byte, 0x80-0xFF as U+0080-U+00FF: what Netty's decoder makes of a value
        String made = length == 0 ? "" : new String(bytes, start, length, StandardCharsets.ISO_8859_1);
        strings[i] = made;
        return made;
    }

    /** Whether slot {@code i}'s whole value is {@code expected}, ignoring ASCII letter case or not. */
    boolean valueIs(int i, CharSequence expected, boolean ignoreCase) {
        return regionIs(i, 0, valueLength(i), expected, ignoreCase);
    }

    /**
     * Whether one of slot {@code i}'s comma-separated elements, trimmed, is {@code expected}: Netty's rule for
     * {@code containsValue}, where a value that ends with a comma has no empty last element.
     */
    boolean hasElement(int i, CharSequence expected, boolean ignoreCase) {
        int length = valueLength(i);
        int begin = 0;
        for (int k = 0; k < length; k++) {
            if (valueChar(i, k) == ',') {
                if (trimmedRegionIs(i, begin, k, expected, ignoreCase)) {
                    return true;
                }
                begin = k + 1;
            }
        }
        return (begin == 0 || begin < length) && trimmedRegionIs(i, begin, length, expected, ignoreCase);
    }

    private int newSlot() {
        if (slots == removed.length) {
            grow();
        }
        int slot = slots++;
        live++;
        removed[slot] = false;
        names[slot] = null;
        values[slot] = null;
        return slot;
    }

    private void grow() {
        int n = removed.length * 2;
        nameStart = Arrays.copyOf(nameStart, n);
        nameLength = Arrays.copyOf(nameLength, n);
        valueStart = Arrays.copyOf(valueStart, n);
        valueLength = Arrays.copyOf(valueLength, n);
        removed = Arrays.copyOf(removed, n);
        names = Arrays.copyOf(names, n);
        values = Arrays.copyOf(values, n);
        strings = Arrays.copyOf(strings, n);
    }

    private int valueLength(int i) {
        return valueStart[i] >= 0 ? valueLength[i] : values[i].length();
    }

    private char valueChar(int i, int k) {
        return valueStart[i] >= 0 ? (char) (bytes[valueStart[i] + k] & 0xFF) : values[i].charAt(k);
    }

    /** Whether slot {@code i}'s value chars {@code [from, to)}, trimmed of chars up to SP, are {@code expected}. */
    private boolean trimmedRegionIs(int i, int from, int to, CharSequence expected, boolean ignoreCase) {
        while (from < to && valueChar(i, from) <= ' ') {
            from++;
        }
        while (to > from && valueChar(i, to - 1) <= ' ') {
            to--;
        }
        return regionIs(i, from, to, expected, ignoreCase);
    }

    private boolean regionIs(int i, int from, int to, CharSequence expected, boolean ignoreCase) {
        if (to - from != expected.length()) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char own = valueChar(i, k);
            char other = expected.charAt(k - from);
            if (own != other && (!ignoreCase || lower(own) != lower(other))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
