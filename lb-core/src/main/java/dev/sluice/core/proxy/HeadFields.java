package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * The field lines of a request head as Netty's {@link HttpHeaders}, kept where they lie in the head's bytes rather
 * than copied into entries and strings ({@link FieldSlots}). Reused for every request of its connection
 * ({@link ScannedRequest}), so decoding, reading and forwarding a head allocates nothing in the steady state.
 *
 * <p>It answers as the map of Netty's request decoder ({@code DefaultHttpHeaders} without validation; the head
 * scanner checked every byte) does: names compare ignoring ASCII letter case, fields keep their order and
 * duplicates, {@code set} replaces every field of the name with one at the end, {@code contains} with a value
 * compares whole values and {@code containsValue} comma-separated, trimmed elements, both ignoring ASCII letter case
 * when asked. A value is materialised as a {@code String} only when asked for ({@link #get}), and kept per field
 * position: the next request's field at the same position with the same text answers the same string (a
 * keep-alive client sends the same {@code Host} every time). Names are materialised only for iteration.
 * {@link #writeTo} writes the fields upstream from the bytes and objects directly.
 *
 * <p>Confined to its connection's event loop. Allocates only when a value differs from the last one at its
 * position and is asked for, when a head has more fields than any before it on the connection, and for iteration
 * and the list and set methods ({@link #getAll}, {@link #entries}, {@link #names}), which the forwarding path does
 * not use.
 */
final class HeadFields extends HttpHeaders {

    private final FieldSlots slots = new FieldSlots();

    /** Starts over with the fields of a new head whose bytes are {@code bytes}; returns the previous head's bytes. */
    byte[] reset(byte[] bytes) {
        return slots.reset(bytes);
    }

    /** Appends a received field: its name at {@code [nameFrom, nameFrom + nameLen)}, its value likewise. */
    void addReceived(int nameFrom, int nameLen, int valueFrom, int valueLen) {
        slots.addReceived(nameFrom, nameLen, valueFrom, valueLen);
    }

    /** Writes every field as a field line ({@code name: value CRLF}), in order, as Netty's encoder would. */
    void writeTo(ByteBuf buf) {
        slots.writeTo(buf);
    }

    /** Removes every field named any of {@code names}, in one pass over the fields rather than one per name. */
    void removeAll(CharSequence[] names) {
        slots.removeAny(names);
    }

    /** How many fields are named {@code name}. */
    int count(CharSequence name) {
        int n = 0;
        for (int i = slots.next(name, 0); i >= 0; i = slots.next(name, i + 1)) {
            n++;
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
        int i = slots.next(name, 0);
        return i < 0 ? null : slots.string(i);
    }

    @Override
    public boolean contains(String name) {
        return slots.next(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return slots.next(name, 0) >= 0;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        return anyValue(name, value, ignoreCase, false);
    }

    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        return anyValue(name, value, ignoreCase, true);
    }

    /**
     * Whether a field named {@code name} has {@code value} as its whole value or, with {@code elements}, as one of
     * its comma-separated elements.
     */
    private boolean anyValue(CharSequence name, CharSequence value, boolean ignoreCase, boolean elements) {
        for (int i = slots.next(name, 0); i >= 0; i = slots.next(name, i + 1)) {
            if (elements ? slots.hasElement(i, value, ignoreCase) : slots.valueIs(i, value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer getInt(CharSequence name) {
        return number(name, Integer::valueOf);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        return number(name, Short::valueOf);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    /** The first value named {@code name} as a number; {@code null} when there is none or it is not one (Netty). */
    private <T extends Number> T number(CharSequence name, Function<String, T> parse) {
        String v = get(name);
        try {
            return v == null ? null : parse.apply(v);
        } catch (NumberFormatException e) {
            return null; // as Netty: a value that is not a number reads as absent
        }
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
        for (int i = slots.next(name, 0); i >= 0; i = slots.next(name, i + 1)) {
            all.add(slots.string(i));
        }
        return all;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> all = new ArrayList<>(slots.live());
        for (int i = slots.nextLive(0); i < slots.slots(); i = slots.nextLive(i + 1)) {
            all.add(new AbstractMap.SimpleImmutableEntry<>(slots.name(i).toString(), slots.string(i)));
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
            private int next = slots.nextLive(0);

            @Override
            public boolean hasNext() {
                return next < slots.slots();
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= slots.slots()) {
                    throw new NoSuchElementException();
                }
                int i = next;
                next = slots.nextLive(i + 1);
                return new AbstractMap.SimpleImmutableEntry<>(slots.name(i), slots.value(i));
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return slots.live() == 0;
    }

    @Override
    public int size() {
        return slots.live();
    }

    @Override
    public Set<String> names() {
        Set<String> all = new LinkedHashSet<>();
        for (int i = slots.nextLive(0); i < slots.slots(); i = slots.nextLive(i + 1)) {
            all.add(slots.name(i).toString());
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
        slots.addObjects(name, text(value));
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
        slots.remove(name);
        return add(name, value);
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        slots.remove(name);
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
        slots.remove(name);
        return this;
    }

    @Override
    public HttpHeaders clear() {
        slots.clear();
        return this;
    }

    /** A value as Netty's header maps convert one: text as is, dates in the HTTP format, anything else by toString. */
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
