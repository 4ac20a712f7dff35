package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a byte stream through a {@link StrictRequestDecoder} with its fast path on or off, in any split into
 * reads, and describes every message it emits (everything a later handler could observe, shared instances marked
 * as such), so that the two decodings can be compared as lists of strings.
 */
final class DecoderComparison {

    static final int MAX_FIELDS = 100;
    static final int MAX_LINE = 8192;
    static final int MAX_HEADER = 65536;

    private DecoderComparison() {
    }

    /** What one decoder made of a byte stream: each message described, and how many requests took the fast path. */
    record Decoded(List<String> messages, int fastRequests, List<Boolean> headAnswers) {
    }

    static HttpDecoderConfig config(int maxLine, int maxHeader) {
        return new HttpDecoderConfig() // as FrontendInitializer configures it
                .setMaxInitialLineLength(maxLine)
                .setMaxHeaderSize(maxHeader)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setHeadersFactory(HttpGrammar.CHECKED_FIELDS)
                .setTrailersFactory(HttpGrammar.CHECKED_TRAILERS);
    }

    static Decoded decode(boolean fastPath, String stream, int[] cuts, boolean direct, int maxLine, int maxHeader) {
        byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        HeadRequestQueue queue = new HeadRequestQueue();
        EmbeddedChannel ch = new EmbeddedChannel(
                new StrictRequestDecoder(config(maxLine, maxHeader), MAX_FIELDS, queue, fastPath));
        List<String> messages = new ArrayList<>();
        int[] counts = new int[2]; // requests, fast-path requests
        try {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : bytes.length;
                if (to > from) {
                    ch.writeInbound(buffer(bytes, from, to, direct));
                }
                from = to;
                drain(ch, messages, counts);
            }
            ch.finish(); // the client closes: the decoder's last word
            drain(ch, messages, counts);
        } finally {
            ch.finishAndReleaseAll();
        }
        List<Boolean> headAnswers = new ArrayList<>();
        for (int i = 0; i < counts[0]; i++) {
            headAnswers.add(queue.finalResponseStarted());
        }
        return new Decoded(messages, counts[1], headAnswers);
    }

    static Decoded decode(boolean fastPath, String stream, int... cuts) {
        return decode(fastPath, stream, cuts, false, MAX_LINE, MAX_HEADER);
    }

    private static ByteBuf buffer(byte[] bytes, int from, int to, boolean direct) {
        ByteBuf buf = direct ? Unpooled.directBuffer(to - from) : Unpooled.buffer(to - from);
        return buf.writeBytes(bytes, from, to - from);
    }

    private static void drain(EmbeddedChannel ch, List<String> messages, int[] counts) {
        for (Object msg; (msg = ch.readInbound()) != null; ) {
            try {
                messages.add(describe(msg));
                if (msg instanceof HttpRequest req) {
                    counts[0]++;
                    // Netty's path always sets its size-carrying success; the fast path leaves the plain one
                    if (req.decoderResult().isSuccess() && !(req.decoderResult() instanceof HttpMessageDecoderResult)) {
                        counts[1]++;
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /**
     * Everything a later handler could observe of a message through Netty's interfaces, shared instances marked as
     * such. A request head's class and its field map's are left out: the fast path's are Sluice's own.
     */
    private static String describe(Object msg) {
        StringBuilder b = new StringBuilder(msg instanceof HttpRequest ? "HttpRequest" : msg.getClass().getSimpleName());
        if (msg instanceof HttpRequest req) {
            HttpMethod method = req.method();
            HttpVersion version = req.protocolVersion();
            b.append(' ').append(method).append(method == HttpMethod.valueOf(method.name()) ? "(shared)" : "")
                    .append(' ').append(req.uri())
                    .append(' ').append(version)
                    .append(version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0 ? "(shared)" : "")
                    .append(' ').append(result(req.decoderResult()));
            describeFields(b.append(" headers"), req.headers());
            b.append(" validating=").append(validates(req.headers()));
        }
        if (msg instanceof HttpContent content) {
            b.append(" content=").append(escape(content.content().toString(StandardCharsets.ISO_8859_1)))
                    .append(' ').append(result(content.decoderResult()));
        }
        if (msg instanceof LastHttpContent last) {
            b.append(last == LastHttpContent.EMPTY_LAST_CONTENT ? " (EMPTY_LAST_CONTENT)" : "");
            HttpHeaders trailers = last.trailingHeaders();
            describeFields(b.append(" trailers ").append(trailers == EmptyHttpHeaders.INSTANCE ? "(shared) " : "")
                    .append(trailers.getClass().getSimpleName()), trailers);
        }
        return b.toString();
    }

    private static void describeFields(StringBuilder b, HttpHeaders headers) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            b.append("\n    ").append(name.getClass().getSimpleName()).append(isSharedName(name) ? "(shared) " : " ")
                    .append(name).append(" = ").append(e.getValue().getClass().getSimpleName()).append(" [")
                    .append(escape(e.getValue())).append(']');
        }
    }

    private static boolean isSharedName(CharSequence name) {
        return name instanceof AsciiString a && CommonFieldNames.find(a.array(), a.arrayOffset(), a.length()) == a;
    }

    /** Whether the map checks names as they are added (Netty's default factory) or trusts the scanner. */
    private static boolean validates(HttpHeaders headers) {
        try {
            headers.add("not a token", "v");
            headers.remove("not a token");
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String result(DecoderResult r) {
        if (r.isSuccess()) {
            return "success";
        }
        Throwable cause = r.cause();
        return "failure " + (cause == null ? "?" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    static String escape(CharSequence s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    static int[] everyPiece(int length, int piece) {
        int[] cuts = new int[(length - 1) / piece];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * piece;
        }
        return cuts;
    }

    /** Decodes {@code stream} with the fast path on and off, asserts the same outcome, returns the fast one. */
    static Decoded assertSameAsNetty(String stream, int[] cuts, boolean direct, int maxLine, int maxHeader) {
        Decoded netty = decode(false, stream, cuts, direct, maxLine, maxHeader);
        Decoded fast = decode(true, stream, cuts, direct, maxLine, maxHeader);
        assertEquals(0, netty.fastRequests(), "the fast path is off");
        assertEquals(netty.messages(), fast.messages(), () -> "cuts " + java.util.Arrays.toString(cuts));
        assertEquals(netty.headAnswers(), fast.headAnswers(), "HEAD requests reported to the response encoder");
        return fast;
    }

    static Decoded assertSameAsNetty(String stream, int[] cuts, boolean direct) {
        return assertSameAsNetty(stream, cuts, direct, MAX_LINE, MAX_HEADER);
    }
}
