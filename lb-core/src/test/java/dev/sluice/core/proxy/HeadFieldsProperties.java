package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HeadFields} answers every question a handler can ask of a request's fields as the map of Netty's decoder
 * (a {@code DefaultHttpHeaders} without validation) answers it, after any mix of received fields and changes, and
 * writes the same field lines as Netty's encoder would for that map.
 */
class HeadFieldsProperties {

    private static final List<String> NAMES = List.of("Host", "host", "HOST", "Connection", "connection",
            "Transfer-Encoding", "X-A", "x-a", "X-^", "X-~", "Accept");
    private static final List<String> VALUES = List.of("", "h", "close", "Close", "keep-alive, Close", " close ,x",
            "a,,b", "chunked,", ",", "gzip, chunked", "\u00e9t\u00e9", "\u00c9T\u00c9", "12", "x y");

    /** A received field line, or a change: add, set, remove, or removeAll (one pass for several names). */
    private record Step(String op, String name, String value) {
    }

    @Property(tries = 600)
    void shouldAnswerAsNettysMapDoes(@ForAll("received") List<Step> received, @ForAll("changes") List<Step> changes) {
        HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        HeadFields own = new HeadFields();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        List<int[]> positions = new ArrayList<>();
        for (Step s : received) {
            int nameStart = head.size();
            head.writeBytes(latin1(s.name() + ":  " + s.value() + " \r\n"));
            positions.add(new int[] {nameStart, s.name().length(), nameStart + s.name().length() + 3,
                s.value().length()});
            netty.add(s.name(), s.value());
        }
        own.reset(head.toByteArray());
        for (int[] p : positions) {
            own.addReceived(p[0], p[1], p[2], p[3]);
        }
        for (Step s : changes) {
            switch (s.op()) {
                case "add" -> {
                    netty.add(s.name(), s.value());
                    own.add(s.name(), s.value());
                }
                case "set" -> {
                    netty.set(s.name(), s.value());
                    own.set(s.name(), s.value());
                }
                case "removeAll" -> {
                    // the step's name with two others, of the same length as some and not others
                    String[] names = {s.name(), "x-a", "transfer-encoding"};
                    for (String name : names) {
                        netty.remove(name);
                    }
                    own.removeAll(names);
                }
                default -> {
                    netty.remove(s.name());
                    own.remove(s.name());
                }
            }
        }
        assertEquals(describe(netty), describe(own));
        assertEquals(encoded(netty), written(own));
    }

    /** Every answer a handler can get, for every name and value in play. */
    private static String describe(HttpHeaders h) {
        StringBuilder b = new StringBuilder("size=").append(h.size()).append(" empty=").append(h.isEmpty())
                .append(" names=").append(h.names()).append(" entries=").append(h.entries()).append('\n');
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            b.append(e.getKey()).append('=').append(e.getValue()).append(';');
        }
        for (String name : NAMES) {
            b.append('\n').append(name).append(": get=").append(h.get(name)).append(" all=").append(h.getAll(name))
                    .append(" contains=").append(h.contains(name)).append(" int=").append(h.getInt(name));
            if (h instanceof HeadFields f) {
                b.append(" count=").append(f.count(name));
            } else {
                b.append(" count=").append(h.getAll(name).size());
            }
            for (String value : VALUES) {
                b.append(" [").append(value).append(' ').append(h.contains(name, value, false))
                        .append(h.contains(name, value, true)).append(h.containsValue(name, value, false))
                        .append(h.containsValue(name, value, true)).append(']');
            }
        }
        return b.toString();
    }

    /** What Netty's encoder writes for a map: each field as {@code name: value CRLF}, a byte per char. */
    private static String encoded(HttpHeaders h) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : h) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        return b.toString();
    }

    private static String written(HeadFields f) {
        ByteBuf buf = Unpooled.buffer();
        try {
            f.writeTo(buf);
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Provide
    Arbitrary<List<Step>> received() {
        return Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(VALUES))
                .as((n, v) -> new Step("receive", n, v)).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Step>> changes() {
        return Combinators.combine(Arbitraries.of("add", "set", "remove", "removeAll"), Arbitraries.of(NAMES),
                Arbitraries.of(VALUES)).as(Step::new).list().ofMaxSize(5);
    }
}
