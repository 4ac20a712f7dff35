package dev.sluice.core.proxy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Properties of the fast path of {@link StrictRequestDecoder}: on any stream of well-formed requests (heads of every
 * shape the grammar allows, without a body, with one framed by {@code Content-Length}, or chunked), split anywhere
 * into reads, the decoder emits exactly what it emits with the fast path off, and builds every head that Netty would
 * decode without a body, with one of known length, or with a chunked one itself.
 */
class ScannedRequestDecodingProperties {

    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String VALUE_CHARS = "aZ09 \t!\"#(),;<=>?@[\\]{}~\u0080\u00e9\u00ff";

    /** A request and whether the fast path must build it. */
    private record Request(String raw, boolean fast) {
    }

    @Property(tries = 400)
    void shouldDecodeEveryStreamExactlyAsNettyDoes(@ForAll("streams") List<Request> requests,
            @ForAll("cuts") List<Double> cutsAt) {
        String stream = String.join("", requests.stream().map(Request::raw).toList());
        int[] cuts = cutsAt.stream().mapToInt(at -> (int) (at * stream.length())).filter(c -> c > 0).sorted()
                .distinct().toArray();
        DecoderComparison.Decoded fast =
                DecoderComparison.assertSameAsNetty(stream, cuts, cuts.length % 2 == 0);
        assertEquals(requests.stream().filter(Request::fast).count(), fast.fastRequests());
    }

    @Provide
    Arbitrary<List<Request>> streams() {
        return Arbitraries.frequencyOf(Tuple.of(6, bodiless()), Tuple.of(2, lengthFramed()), Tuple.of(2, chunked()),
                        Tuple.of(1, withBody()))
                .list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * A bodiless head of any shape given a {@code Content-Length} (leading zeros and OWS included) and a body of
     * that many bytes, some longer than a content part may be (64 KiB): the fast path builds it unless its fields
     * send it to Netty.
     */
    private static Arbitrary<Request> lengthFramed() {
        Arbitrary<Integer> length = Arbitraries.oneOf(Arbitraries.integers().between(0, 40),
                Arbitraries.of(65_535, 65_536, 65_537, 140_000));
        Arbitrary<String> spelling = Arbitraries.of("Content-Length", "content-length", "CONTENT-LENGTH");
        Arbitrary<String> zeros = Arbitraries.of("", "", "0", "000");
        return Combinators.combine(bodiless(), spelling, zeros, length, Arbitraries.of(" ", "", "\t "))
                .as((head, name, z, n, ows) -> {
                    String raw = head.raw();
                    String field = name + ":" + ows + z + n + ows + "\r\n";
                    String framed = raw.substring(0, raw.length() - 2) + field + "\r\n" + "b".repeat(n);
                    return new Request(framed, head.fast());
                });
    }

    /**
     * A bodiless head of any shape given {@code Transfer-Encoding: chunked} (any letter case, OWS around it) and a
     * chunked body: chunks of up to 70,000 bytes (longer than a content part may be), sizes with leading zeros, chunk
     * extensions, trailer fields of any name (framing ones, which Netty drops, too): the fast path builds it
     * unless its other fields send it to Netty.
     */
    private static Arbitrary<Request> chunked() {
        Arbitrary<String> spelling = Arbitraries.of("chunked", "Chunked", "CHUNKED");
        Arbitrary<String> ows = Arbitraries.of("", " ", "\t ");
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(1, 20),
                Arbitraries.of(65_536, 70_000));
        Arbitrary<String> extension = Arbitraries.of("", "", ";a", ";a=b", ";q=\"x y\"", ";a;b=c");
        Arbitrary<String> chunk = Combinators.combine(size, Arbitraries.of("", "0", "00"), extension)
                .as((n, zeros, ext) -> zeros + Integer.toHexString(n) + ext + "\r\n" + "d".repeat(n) + "\r\n");
        // (a Content-Length trailer is held to the head's rules, one field of digits: the unit tests have it)
        Arbitrary<String> trailerName = Arbitraries.oneOf(Arbitraries.of("X-Sum", "Accept", "Trailer",
                "transfer-encoding", "Host"), Arbitraries.strings().withChars(TOKEN_CHARS.replace("_", ""))
                .ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> trailer = Combinators.combine(trailerName, ows,
                Arbitraries.strings().withChars(VALUE_CHARS).ofMaxLength(8), ows)
                .as((n, a, v, b) -> n + ":" + a + v + b + "\r\n");
        return Combinators.combine(bodiless(), spelling, ows, chunk.list().ofMaxSize(3), extension,
                trailer.list().ofMaxSize(3)).as((head, te, o, chunks, lastExt, trailers) -> {
                    // HTTP/1.1: Netty refuses the field on 1.0, and a refusal ends the stream
                    String raw = head.raw().replaceFirst(" HTTP/1\\.0\r\n", " HTTP/1.1\r\n");
                    String field = "Transfer-Encoding:" + o + te + o + "\r\n";
                    String body = String.join("", chunks) + "0" + lastExt + "\r\n" + String.join("", trailers) + "\r\n";
                    return new Request(raw.substring(0, raw.length() - 2) + field + "\r\n" + body, head.fast());
                });
    }

    @Provide
    Arbitrary<List<Double>> cuts() {
        return Arbitraries.doubles().between(0, 1).list().ofMaxSize(6);
    }

    private static Arbitrary<Request> bodiless() {
        Arbitrary<String> method = Arbitraries.oneOf(Arbitraries.of("GET", "HEAD", "OPTIONS", "DELETE", "QUERY", "get"),
                Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> target = Arbitraries.oneOf(Arbitraries.of("*", "http://h.example:8080/p?q", "h.example:443"),
                Arbitraries.strings().withChars("/abcXYZ09-._~:@!$&'()*+,;=?").ofMaxLength(16).map(t -> "/" + t));
        Arbitrary<String> leading = Arbitraries.integers().between(0, 8).map("\r\n"::repeat);
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("Host", "host", "HOST", "Accept", "Cookie", "X-Request-ID", "x-request-id", "Via", "TE",
                        "Transfer-Encodinx", "Sec-WebSocket-Kez2", "X_Underscore"),
                Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(1).ofMaxLength(10));
        Arbitrary<String> ows = Arbitraries.strings().withChars(" \t").ofMaxLength(3);
        Arbitrary<String> value = Arbitraries.strings().withChars(VALUE_CHARS).ofMaxLength(12);
        Arbitrary<String> field = Combinators.combine(name, ows, value, ows).as((n, a, v, b) -> n + ":" + a + v + b + "\r\n");
        return Combinators.combine(leading, method, target, Arbitraries.of("1.1", "1.0"), field.list().ofMaxSize(12))
                .as((l, m, t, v, f) -> {
                    String raw = l + m + " " + t + " HTTP/" + v + "\r\n" + String.join("", f) + "\r\n";
                    boolean framed = f.stream().anyMatch(x -> x.regionMatches(true, 0, "content-length:", 0, 15)
                            || x.regionMatches(true, 0, "transfer-encoding:", 0, 18));
                    boolean underscore = f.stream().anyMatch(x -> x.substring(0, x.indexOf(':')).indexOf('_') >= 0);
                    boolean hixie = f.stream().anyMatch(x -> x.regionMatches(true, 0, "sec-websocket-key", 0, 17)
                            && x.indexOf(':') == 18);
                    return new Request(raw, !framed && !underscore && !hixie);
                });
    }

    private static Arbitrary<Request> withBody() {
        return Arbitraries.of(
                new Request("POST /l HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", true),
                new Request("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nT: t\r\n\r\n", true),
                new Request("POST /g HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", false),
                new Request("GET /l0 HTTP/1.0\r\ncontent-length: 0\r\n\r\n", true));
    }
}
