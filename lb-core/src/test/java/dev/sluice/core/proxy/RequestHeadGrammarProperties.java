package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the request-head gate: on any input, {@link RequestHeadScanner} neither fails nor accepts a head
 * that the RFC 9112 grammar (written here independently, as regular expressions) forbids, accepts every head it
 * allows, and decides the same however the bytes are split into reads; {@link RequestTarget#isValidHost} accepts
 * only {@code uri-host [":" port]}.
 */
class RequestHeadGrammarProperties {

    private static final int MAX_FIELDS = 8;
    private static final String TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
    private static final String TARGET = "(?:[A-Za-z0-9\\-._~:/?\\[\\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+";
    private static final String VALUE = "[\\t \\x21-\\x7E\\x80-\\xFF]*";
    private static final Pattern HEAD = Pattern.compile("(?:\\r\\n){0,8}" + TCHAR + "+ " + TARGET
            + " HTTP/([0-9])\\.([0-9])\\r\\n((?:" + TCHAR + "+:" + VALUE + "\\r\\n)*)\\r\\n");
    private static final Pattern FIELD = Pattern.compile("(" + TCHAR + "+):(" + VALUE + ")\\r\\n");
    private static final Pattern LENGTH = Pattern.compile("[ \\t]*[0-9]{1,18}[ \\t]*");
    private static final Pattern HOST = Pattern.compile(
            "(?:\\[[0-9A-Fa-f:.]+\\]|(?:[A-Za-z0-9\\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+)(?::[0-9]{1,5})?");

    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String HOSTILE = " \t\r\n:\u0000\u0001\u000b\u007f\u0080\u00e9\u00ff\"#<>\\^`{|}()@,;=/?[]%";

    /** The scanner's verdict: the head's length when accepted, else -1; with the reply when refused. */
    private record Verdict(int headLength, LocalReply reply) {
    }

    private static Verdict scan(byte[] bytes, int piece) {
        return scan(new RequestHeadScanner(MAX_FIELDS), bytes, piece);
    }

    private static Verdict scan(RequestHeadScanner scanner, byte[] bytes, int piece) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            for (int from = 0; from < bytes.length; from += piece) {
                int end = scanner.scan(buf, from, Math.min(bytes.length, from + piece));
                if (end >= 0) {
                    return new Verdict(end, null);
                }
                if (scanner.rejection() != null) {
                    return new Verdict(-1, scanner.rejection());
                }
            }
            return new Verdict(-1, null);
        } finally {
            buf.release();
        }
    }

    /** The reference grammar: whether {@code head} is exactly one acceptable request head. */
    private static boolean grammarAccepts(String head) {
        Matcher m = HEAD.matcher(head);
        if (!m.matches() || !m.group(1).equals("1") || m.group(2).compareTo("1") > 0) {
            return false;
        }
        Matcher f = FIELD.matcher(m.group(3));
        int fields = 0;
        int lengths = 0;
        while (f.find()) {
            fields++;
            if (f.group(1).equalsIgnoreCase("content-length")) {
                lengths++;
                if (!LENGTH.matcher(f.group(2)).matches()) {
                    return false;
                }
            }
        }
        return fields <= MAX_FIELDS && lengths <= 1;
    }

    @Property(tries = 2000)
    void shouldAcceptOnlyWhatTheGrammarAllows(@ForAll("heads") String head, @ForAll @IntRange(min = 1, max = 17) int piece) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        Verdict v = scan(bytes, piece);
        net.jqwik.api.statistics.Statistics.label("verdict")
                .collect(v.headLength() >= 0 ? "accepted" : v.reply() != null ? "refused " + v.reply() : "incomplete");
        if (v.headLength() >= 0) {
            String accepted = head.substring(0, v.headLength());
            assertTrue(grammarAccepts(accepted), () -> "accepted a head the grammar forbids: " + escape(accepted));
        } else if (v.reply() != null) {
            assertTrue(!grammarAccepts(head), () -> "refused (" + v.reply() + ") a head the grammar allows: " + escape(head));
        }
    }

    @Property(tries = 1000)
    void shouldAcceptEveryWellFormedHead(@ForAll("wellFormedHeads") String head, @ForAll @IntRange(min = 1, max = 17) int piece) {
        Verdict v = scan(head.getBytes(StandardCharsets.ISO_8859_1), piece);
        assertEquals(head.length(), v.headLength(), () -> "refused " + v.reply() + ": " + escape(head));
    }

    @Property(tries = 1000)
    void shouldDecideTheSameHoweverTheBytesAreSplit(@ForAll("heads") String head, @ForAll @IntRange(min = 1, max = 9) int piece) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(scan(bytes, bytes.length + 1), scan(bytes, piece), () -> escape(head));
    }

    /**
     * Keeping the head changes no verdict, and keeps exactly the head's bytes when they fit the limit. Heads get a
     * field of up to 3,000 bytes, so that they cross the scanner's 1,024-byte copy steps and its limit anywhere.
     */
    @Property(tries = 1000)
    void shouldKeepExactlyTheHeadsBytesWhenItFitsAndDecideTheSame(@ForAll("heads") String head,
            @ForAll @IntRange(min = 0, max = 3000) int padding, @ForAll @IntRange(min = 1, max = 1500) int piece,
            @ForAll @IntRange(min = 0, max = 4000) int keepLimit) {
        int lineEnd = head.indexOf("\r\n");
        String padded = padding == 0 || lineEnd < 0 ? head
                : head.substring(0, lineEnd + 2) + "X-Pad: " + "p".repeat(padding) + "\r\n" + head.substring(lineEnd + 2);
        byte[] bytes = padded.getBytes(StandardCharsets.ISO_8859_1);
        RequestHeadScanner keeping = new RequestHeadScanner(MAX_FIELDS + 1, keepLimit);
        Verdict kept = scan(keeping, bytes, piece);
        assertEquals(scan(new RequestHeadScanner(MAX_FIELDS + 1), bytes, piece), kept, () -> escape(padded));
        if (kept.headLength() >= 0) {
            byte[] keptBytes = keeping.headBytes();
            if (kept.headLength() <= keepLimit) {
                assertTrue(keptBytes != null && java.util.Arrays.equals(bytes, 0, kept.headLength(), keptBytes, 0,
                        kept.headLength()), () -> "kept other bytes than the head's: " + escape(padded));
            } else {
                assertEquals(null, keptBytes, () -> "claims to keep a head over its limit: " + escape(padded));
            }
        }
    }

    /** A head that fits the limit exactly is kept even when the next message's bytes come in the same read. */
    @net.jqwik.api.Example
    void shouldKeepAHeadThatFitsTheLimitWhenMoreBytesFollowItInTheSameRead() {
        String head = "GET / HTTP/1.1\r\nX-Pad: pppp\r\nA:b\r\n\r\n";
        byte[] bytes = (head + "GET /next HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
        RequestHeadScanner keeping = new RequestHeadScanner(MAX_FIELDS, head.length());
        assertEquals(new Verdict(head.length(), null), scan(keeping, bytes, bytes.length));
        assertTrue(keeping.headBytes() != null && java.util.Arrays.equals(bytes, 0, head.length(), keeping.headBytes(),
                0, head.length()), "kept the whole head");
    }

    /**
     * Every byte value at every place of a value long enough to be read eight bytes at a time (every offset within
     * a word, twice over), in one piece and in pieces that cut words: accepted exactly when the grammar allows it.
     */
    @net.jqwik.api.Example
    void shouldJudgeEveryByteAtEveryPlaceOfALongValueAsTheGrammarDoes() {
        for (int v = 0; v < 256; v++) {
            for (int at = 0; at <= 16; at++) {
                String head = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: " + "a".repeat(at) + (char) v + "b".repeat(20 - at)
                        + "\r\n\r\n";
                byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
                boolean allowed = grammarAccepts(head);
                for (int piece : new int[] {bytes.length, 8, 5}) {
                    Verdict verdict = scan(bytes, piece);
                    assertEquals(allowed, verdict.headLength() == bytes.length, () -> escape(head));
                    assertEquals(allowed, verdict.reply() == null, () -> "refused or not: " + escape(head));
                }
            }
        }
    }

    /** The eight-bytes-at-once value check answers as checking each byte would. */
    @Property(tries = 5000)
    void shouldFindAPlainValueWordExactlyWhenEachOfItsBytesIsPlain(@ForAll("valueWords") long word) {
        boolean eachPlain = true;
        for (int i = 0; i < Long.BYTES; i++) {
            int b = (int) (word >>> (8 * i)) & 0xFF;
            eachPlain &= b >= 0x20 && b != 0x7F;
        }
        assertEquals(eachPlain, FieldLinesScanner.isPlainValueWord(word), () -> Long.toHexString(word));
    }

    /** Words of value bytes, mostly plain, with control bytes, DEL and bytes near both bounds mixed in. */
    @Provide
    Arbitrary<Long> valueWords() {
        Arbitrary<Integer> bytes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0x20, 0xFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0x7F, 0x7E, 0x80, 0x20, 0x1F, 0x00, 0xFF, 0x09)));
        return bytes.list().ofSize(Long.BYTES).map(list -> {
            long w = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                w |= (long) list.get(i) << (8 * i);
            }
            return w;
        });
    }

    @Property(tries = 1000)
    void shouldNeverFailOnArbitraryBytes(@ForAll byte[] bytes, @ForAll @IntRange(min = 1, max = 9) int piece) {
        Verdict v = scan(bytes, piece);
        assertTrue(v.headLength() <= bytes.length);
    }

    @Property(tries = 2000)
    void shouldAcceptOnlyHostsOfTheUriHostGrammar(@ForAll("hosts") String host) {
        assertEquals(HOST.matcher(host).matches() && !host.startsWith(":"), RequestTarget.isValidHost(host), () -> escape(host));
    }

    /** Well-formed heads, half of them with up to three bytes inserted, replaced or deleted anywhere. */
    @Provide
    Arbitrary<String> heads() {
        Arbitrary<String> edit = Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.of(0, 1, 2),
                Arbitraries.strings().withChars(TOKEN_CHARS + HOSTILE).ofLength(1))
                .as((at, kind, c) -> kind + ":" + at + ":" + c);
        return Combinators.combine(wellFormedHeads(), Arbitraries.oneOf(Arbitraries.just(java.util.List.<String>of()),
                        edit.list().ofMinSize(1).ofMaxSize(3)), hostileFields().list().ofMaxSize(2), Arbitraries.of(true, false))
                .as((head, edits, extra, prefix) -> mutate(head, edits, extra, prefix));
    }

    private static String mutate(String head, java.util.List<String> edits, java.util.List<String> extraFields, boolean atStart) {
        StringBuilder b = new StringBuilder(head);
        if (!extraFields.isEmpty()) {
            int at = atStart ? b.indexOf("\r\n") + 2 : b.length() - 2;
            b.insert(at, String.join("", extraFields));
        }
        for (String e : edits) {
            String[] p = e.split(":", 3);
            int at = (int) (Double.parseDouble(p[1]) * b.length());
            switch (p[0]) {
                case "0" -> b.insert(at, p[2]);
                case "1" -> b.setCharAt(Math.min(at, b.length() - 1), p[2].charAt(0));
                default -> b.deleteCharAt(Math.min(at, b.length() - 1));
            }
        }
        return b.toString();
    }

    @Provide
    Arbitrary<String> wellFormedHeads() {
        Arbitrary<String> method = Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(1).ofMaxLength(7);
        Arbitrary<String> target = Arbitraries.strings().withChars("/abcXYZ09-._~:@!$&'()*+,;=?").ofMinLength(0).ofMaxLength(12).map(t -> "/" + t);
        Arbitrary<String> name = Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(1).ofMaxLength(8)
                .filter(n -> !n.equalsIgnoreCase("content-length"));
        Arbitrary<String> value = Arbitraries.strings().withChars("ab Z9\t!~\u0080\u00ff\"(),;").ofMaxLength(10)
                .map(String::strip).map(s -> s.replace("\t", ""));
        Arbitrary<String> field = Combinators.combine(name, Arbitraries.of(":", ": ", ":\t"), value).as((n, c, v) -> n + c + v + "\r\n");
        return Combinators.combine(method, target, Arbitraries.of("HTTP/1.1", "HTTP/1.0"), field.list().ofMaxSize(MAX_FIELDS))
                .as((m, t, v, f) -> m + " " + t + " " + v + "\r\n" + String.join("", f) + "\r\n");
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abz09.-_~%Ff:[]" + HOSTILE).ofMinLength(0).ofMaxLength(12),
                Combinators.combine(Arbitraries.of("example.com", "[::1]", "10.0.0.1", "a%2Fb", "[fe80::1%eth0]", ""),
                        Arbitraries.of("", ":", ":80", ":123456", ":8a", "::80")).as((h, p) -> h + p));
    }

    private static Arbitrary<String> leadingLines() {
        return Arbitraries.frequency(
                net.jqwik.api.Tuple.of(10, ""), net.jqwik.api.Tuple.of(2, "\r\n"), net.jqwik.api.Tuple.of(1, "\n"),
                net.jqwik.api.Tuple.of(1, " "), net.jqwik.api.Tuple.of(1, "\r\n".repeat(9)));
    }

    private static Arbitrary<String> separator() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(20, " "), net.jqwik.api.Tuple.of(1, "  "),
                net.jqwik.api.Tuple.of(1, "\t"), net.jqwik.api.Tuple.of(1, ""));
    }

    private static Arbitrary<String> lineEnd() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(20, "\r\n"), net.jqwik.api.Tuple.of(1, "\n"),
                net.jqwik.api.Tuple.of(1, "\r"), net.jqwik.api.Tuple.of(1, "\r\r\n"));
    }

    private static Arbitrary<String> hostileFields() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("Host", "Content-Length", "content-LENGTH", "Transfer-Encoding", "X_A"),
                Arbitraries.strings().withChars(TOKEN_CHARS + HOSTILE).ofMinLength(0).ofMaxLength(8));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("5", " 12 ", "+5", "0x5", "5, 5", "1 2", "", "9".repeat(19)),
                Arbitraries.strings().withChars("abc 09\t" + HOSTILE).ofMaxLength(10));
        return Combinators.combine(name, Arbitraries.of(":", ": ", " :", ":\t"), value, lineEnd()).as((n, c, v, e) -> n + c + v + e);
    }

    private static Arbitrary<String> fields(Arbitrary<String> field) {
        return Combinators.combine(field.list().ofMaxSize(MAX_FIELDS + 2), lineEnd()).as((f, e) -> String.join("", f) + e);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c >= 0x7F) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
