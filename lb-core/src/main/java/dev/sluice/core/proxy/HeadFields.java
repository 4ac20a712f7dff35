package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The field lines of a request head, kept where they lie in the head's bytes rather than copied into entries and
 * strings: a field the client sent is the positions of its name and of its value (OWS trimmed) in {@link #bytes};
 * a field set by Sluice or a filter holds its name and value objects. Reused for every request of its connection
 * ({@link BodilessRequest}), so decoding, reading and forwarding a head allocates nothing in the steady state.
 *
 * <p>It behaves as Netty's {@code DefaultHttpHeaders} does for a decoded request, without name or value
 * validation (the head scanner checked every byte): names compare ignoring ASCII letter case, fields keep their
 * order and duplicates, {@code set} replaces every field of the name with one at the end, {@code containsValue}
 * looks at comma-separated, trimmed elements. A value is materialised as a {@code String} only when asked for
 * ({@link #get}), and that string is kept per field position: the next request's field at the same position with
 * the same text answers the same string (a keep-alive client sends the same {@code Host} every time). Names are
 * materialised only for iteration. {@link #writeTo} writes the fields upstream from the bytes and objects directly.
 *
 * <p>Confined to its connection's event loop. Allocates only when a head has more fields than any before it on the
 * connection, when a value differs from the last at its position and is asked for, and for iteration and the
 * {@code String}-list methods ({@link #getAll}, {@link #entries}, {@link #names}), which the forwarding path does
 * not use.
 */
final class HeadFields extends HttpHeaders {

    private static final short COLON_SPACE = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final int INITIAL_SLOTS = 16;

    /** The head's bytes, which the positions point into. */
    private byte[] bytes = new byte[0];
    /** Field positions in order of arrival or addition, removed ones included. */
    private int slots;
    private int live;
    private int[] nameStart = new int[INITIAL_SLOTS];
    private int[] nameLength = new int[INITIAL_SLOTS];
    /** Where a received field's value starts; -1 for a field added as objects. */
    private int[] valueStart = new int[INITIAL_SLOTS];
    private int[] valueLength = new int[INITIAL_SLOTS];
    private boolean[] removed = new boolean[INITIAL_SLOTS];
    /** A received field's name once materialised (iteration), or an added field's name; else null. */
    private CharSequence[] names = new CharSequence[INITIAL_SLOTS];
    /** An added field's value; null for a received field. */
    private CharSequence[] values = new CharSequence[INITIAL_SLOTS];
    /** The last string materialised at each position, reused while the text there stays the same. */
    private String[] strings = new String[INITIAL_SLOTS];

    /** Starts over with the fields of a new head whose bytes are {@code bytes}; returns the previous head's bytes. */
    byte[] reset(byte[] bytes) {
        byte[] previous = this.bytes;
        this.bytes = bytes;
        slots = 0;
        live = 0;
        return previous;
    }

    /** Appends a received field: its name at {@code [nameFrom, nameFrom + nameLen)}, its value likewise. */
    void addReceived(int nameFrom, int nameLen, int valueFrom, int valueLen) {
        int slot = newSlot();
        nameStart[slot] = nameFrom;
        nameLength[slot] = nameLen;
        valueStart[slot] = valueFrom;
        valueLength[slot] = valueLen;
    }

    /**
     * Writes every field as a field line ({@code name: value CRLF}), in order: received fields from the head's
     * bytes, added ones as Netty's encoder writes values (a byte per char).
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

    /** How many fields are named {@code name}. */
    int count(CharSequence name) {
        int n = 0;
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name)) {
                n++;
            }
        }
        return n;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = first(name);
        return i < 0 ? null : string(i);
    }

    @Override
    public boolean contains(String name) {
        return first(name) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return first(name) >= 0;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name) && valueRegionIs(i, 0, valueLength(i), value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** As Netty's: some field named {@code name} has {@code value} as one of its comma-separated, trimmed elements. */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name) && hasElement(i, value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer getInt(CharSequence name) {
        String v = get(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null; // as Netty: a value that is not a number reads as absent
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        String v = get(name);
        try {
            return v == null ? null : Short.valueOf(v);
        } catch (NumberFormatException e) {
            return null; // as Netty: a value that is not a number reads as absent
        }
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        String v = get(name);
        Date date = v == null ? null : DateFormatter.parseHttpDate(v);
        return date == null ? null : date.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long v = getTimeMillis(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>(2);
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name)) {
                all.add(string(i));
            }
        }
        return all;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> all = new ArrayList<>(live);
        for (int i = 0; i < slots; i++) {
            if (!removed[i]) {
                all.add(new AbstractMap.SimpleImmutableEntry<>(name(i).toString(), string(i)));
            }
        }
        return all;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Iterator<>() {
            private int next = nextLive(0);

            @Override
            public boolean hasNext() {
                return next < slots;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= slots) {
                    throw new NoSuchElementException();
                }
                int i = next;
                next = nextLive(i + 1);
                return new AbstractMap.SimpleImmutableEntry<>(name(i), valueStart[i] >= 0 ? string(i) : values[i]);
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return live == 0;
    }

    @Override
    public int size() {
        return live;
    }

    @Override
    public Set<String> names() {
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < slots; i++) {
            if (!removed[i]) {
                all.add(name(i).toString());
            }
        }
        return all;
    }

    // ---- changing -------------------------------------------------------------------------------------------

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        int slot = newSlot();
        names[slot] = name;
        values[slot] = text(value);
        valueStart[slot] = -1;
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        for (Object v : values) {
            add(name, v);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name)) {
                removed[i] = true;
                live--;
            }
        }
        return this;
    }

    @Override
    public HttpHeaders clear() {
        slots = 0;
        live = 0;
        return this;
    }

    // ---- positions --------------------------------------------------------------------------------------------

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

    private int nextLive(int from) {
        int i = from;
        while (i < slots && removed[i]) {
            i++;
        }
        return i;
    }

    /** The first live field named {@code name}, or -1. */
    private int first(CharSequence name) {
        for (int i = 0; i < slots; i++) {
            if (!removed[i] && nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether field {@code i} is named {@code name}, ignoring ASCII letter case. */
    private boolean nameIs(int i, CharSequence name) {
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

    /** Field {@code i}'s name: a shared common name or a copy of its bytes for a received field, kept once made. */
    private CharSequence name(int i) {
        CharSequence own = names[i];
        if (own == null) {
            AsciiString common = CommonFieldNames.find(bytes, nameStart[i], nameLength[i]);
            own = common != null ? common : new AsciiString(bytes, nameStart[i], nameLength[i], true);
            names[i] = own;
        }
        return own;
    }

    /** Field {@code i}'s value as a string: the one kept at this position when its text is the same. */
    private String string(int i) {
        if (valueStart[i] < 0) {
            return values[i].toString();
        }
        String kept = strings[i];
        int start = valueStart[i];
        int length = valueLength[i];
        if (kept != null && sameText(kept, bytes, start, length)) {
            return kept;
        }
        // one char per byte, 0x80-0xFF as U+0080-U+00FF: what Netty's decoder makes of a value
        String made = length == 0 ? "" : new String(bytes, start, length, StandardCharsets.ISO_8859_1);
        strings[i] = made;
        return made;
    }

    /** Whether {@code s} is the text of {@code b[start, start + length)}, one char per byte (ISO-8859-1). */
    static boolean sameText(String s, byte[] b, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (s.charAt(k) != (b[start + k] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private int valueLength(int i) {
        return valueStart[i] >= 0 ? valueLength[i] : values[i].length();
    }

    private char valueChar(int i, int k) {
        return valueStart[i] >= 0 ? (char) (bytes[valueStart[i] + k] & 0xFF) : values[i].charAt(k);
    }

    /**
     * Whether one of field {@code i}'s comma-separated elements, trimmed, is {@code expected}: Netty's rule, where a
     * value that ends with a comma has no empty last element.
     */
    private boolean hasElement(int i, CharSequence expected, boolean ignoreCase) {
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

    /** Whether field {@code i}'s value chars {@code [from, to)}, without leading and trailing chars up to SP, are {@code expected}. */
    private boolean trimmedRegionIs(int i, int from, int to, CharSequence expected, boolean ignoreCase) {
        while (from < to && valueChar(i, from) <= ' ') {
            from++;
        }
        while (to > from && valueChar(i, to - 1) <= ' ') {
            to--;
        }
        return valueRegionIs(i, from, to, expected, ignoreCase);
    }

    /** Whether field {@code i}'s value chars {@code [from, to)} are {@code expected}, ignoring ASCII letter case or not. */
    private boolean valueRegionIs(int i, int from, int to, CharSequence expected, boolean ignoreCase) {
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

    /** A value as Netty's header maps convert one: text as it is, dates in the HTTP format, anything else by toString. */
    private static CharSequence text(Object value) {
        if (value instanceof CharSequence cs) {
            return cs;
        }
        if (value instanceof Date date) {
            return DateFormatter.format(date);
        }
        if (value instanceof Calendar calendar) {
            return DateFormatter.format(calendar.getTime());
        }
        return value.toString();
    }
}
