package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * The forwarding fields of CONTRACT.md section 5 that a request gains on its way upstream: {@code X-Forwarded-For}
 * with the client's address appended, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} (the {@code Host} the
 * client sent) and {@code X-Request-Id} (kept if the client sent one, else generated).
 *
 * <p>{@link #prepare} changes the head's field map only where a field the client sent must change: its
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are removed, and its {@code X-Forwarded-For} is replaced by
 * one with the client's address appended. Every other forwarding field stays out of the map: the upstream request
 * encoder writes them after the head's own fields ({@link #writeTo}), in the order above, which is where adding them
 * to the map would have put them. So a request that carries none of these fields itself costs no map entry, no id
 * object and no text for them.
 *
 * <p>Confined to its client connection's event loop; one per connection, prepared once per exchange and written by
 * every attempt of it, so a retry carries the same {@code X-Request-Id}.
 */
final class ForwardingFields {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    /** The client's claims about the forwarding it came through, which never reach a backend. */
    private static final AsciiString[] CLIENT_CLAIMS = {X_FORWARDED_PROTO, X_FORWARDED_HOST};

    private static final byte[] FORWARDED_FOR = ascii("x-forwarded-for: ");
    private static final byte[] FORWARDED_PROTO_HTTP = ascii("x-forwarded-proto: http\r\n");
    private static final byte[] FORWARDED_HOST = ascii("x-forwarded-host: ");
    private static final byte[] REQUEST_ID = ascii("x-request-id: ");
    private static final short CRLF = ('\r' << 8) | '\n';

    private final RequestIds ids;
    private String clientIp;
    /** Whether {@code X-Forwarded-For} is still to be written: the client sent none. */
    private boolean forwardedForPending;
    /** The client's {@code Host}, or {@code null} when it sent none. */
    private CharSequence host;
    /** Whether {@link #requestId} is still to be written: the client sent no {@code X-Request-Id}. */
    private boolean requestIdPending;
    private long requestId;

    /** @param ids the event loop's id generator */
    ForwardingFields(RequestIds ids) {
        this.ids = ids;
    }

    /** Binds the client connection's address text, which goes into {@code X-Forwarded-For}. */
    void init(String clientIp) {
        this.clientIp = clientIp;
    }

    /**
     * Takes the next exchange's head, whose hop-by-hop fields were already stripped: changes the fields the client
     * sent that must change, and notes what {@link #writeTo} adds. A new id is drawn only when the client sent none.
     */
    void prepare(HttpHeaders headers) {
        String earlier = headers.get(X_FORWARDED_FOR);
        forwardedForPending = earlier == null;
        if (earlier != null) {
            headers.set(X_FORWARDED_FOR, new ForwardedFor(earlier, clientIp));
        }
        ForwardingHeaders.removeAll(headers, CLIENT_CLAIMS);
        host = headers.get(HttpHeaderNames.HOST);
        requestIdPending = !headers.contains(X_REQUEST_ID);
        if (requestIdPending) {
            requestId = ids.next();
        }
    }

    /** Writes the fields the map does not hold, each as a field line with its CRLF, after the head's own. */
    void writeTo(ByteBuf buf) {
        if (forwardedForPending) {
            fieldLine(buf, FORWARDED_FOR, clientIp);
        }
        buf.writeBytes(FORWARDED_PROTO_HTTP);
        if (host != null) {
            fieldLine(buf, FORWARDED_HOST, host);
        }
        if (requestIdPending) {
            buf.writeBytes(REQUEST_ID);
            ids.write(requestId, buf);
            buf.writeShort(CRLF);
        }
    }

    /** A value as Netty's encoder writes one: a byte per char (chars 0x80-0xFF as those bytes). */
    private static void fieldLine(ByteBuf buf, byte[] nameColonSpace, CharSequence value) {
        buf.writeBytes(nameColonSpace);
        ByteBufUtil.writeAscii(buf, value);
        buf.writeShort(CRLF);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * An {@code X-Forwarded-For} value with the client's address appended: {@code "<earlier>, <client>"}, read
     * through the two parts rather than copied into a new string (the request encoder reads it once, straight
     * into the outgoing buffer). Immutable.
     */
    static final class ForwardedFor implements CharSequence {
        private static final String SEPARATOR = ", ";
        private final String earlier;
        private final String client;

        ForwardedFor(String earlier, String client) {
            this.earlier = earlier;
            this.client = client;
        }

        @Override
        public int length() {
            return earlier.length() + SEPARATOR.length() + client.length();
        }

        @Override
        public char charAt(int index) {
            if (index < earlier.length()) {
                return earlier.charAt(index);
            }
            int i = index - earlier.length();
            if (i < SEPARATOR.length()) {
                return SEPARATOR.charAt(i);
            }
            return client.charAt(i - SEPARATOR.length());
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return earlier + SEPARATOR + client;
        }
    }
}
