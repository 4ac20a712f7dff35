package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * The header rules of CONTRACT.md section 5: hop-by-hop fields and every field named in {@code Connection}
 * are removed in both directions; requests gain {@code X-Forwarded-*} and {@code X-Request-Id}.
 *
 * <p>Stateless; called on event loops. Allocates only when a {@code Connection} field names other fields, and one
 * small {@link ForwardedFor} to append to an existing {@code X-Forwarded-For} (no text is copied).
 */
final class ForwardingHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    /** Hop-by-hop fields (RFC 9110 section 7.6.1 and the de-facto ones) that never cross the proxy. */
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, PROXY_CONNECTION, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
    };

    private ForwardingHeaders() {
    }

    /**
     * Removes the fields named in {@code Connection}, then the hop-by-hop fields. A nomination of {@code Host}
     * or {@code Content-Length} is ignored: those fields carry routing and framing, which a client must not be
     * able to strip from what the backend sees.
     */
    static void stripHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            removeNominated(headers);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    private static void removeNominated(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        java.util.List<String> nominated = null;
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(e.getKey())) {
                continue;
            }
            CharSequence value = e.getValue();
            int start = 0;
            for (int i = 0; i <= value.length(); i++) {
                if (i == value.length() || value.charAt(i) == ',') {
                    String token = value.subSequence(start, i).toString().trim();
                    start = i + 1;
                    if (!token.isEmpty() && !isProtected(token)) {
                        if (nominated == null) {
                            nominated = new java.util.ArrayList<>(2);
                        }
                        nominated.add(token);
                    }
                }
            }
        }
        if (nominated != null) {
            for (String name : nominated) {
                headers.remove(name);
            }
        }
    }

    private static boolean isProtected(String token) {
        return token.equalsIgnoreCase("close") || token.equalsIgnoreCase("keep-alive")
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(token)
                || HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(token);
    }

    /**
     * Adds the forwarding fields to a request head whose hop-by-hop fields were already stripped.
     *
     * @param clientIp  the client's address text, appended to {@code X-Forwarded-For}
     * @param requestId used when the client sent no {@code X-Request-Id}; evaluated only then
     */
    static void addForwarding(HttpHeaders headers, String clientIp, RequestIds requestId) {
        String xff = headers.get(X_FORWARDED_FOR);
        if (xff == null) {
            headers.set(X_FORWARDED_FOR, clientIp);
        } else {
            headers.set(X_FORWARDED_FOR, new ForwardedFor(xff, clientIp));
        }
        headers.set(X_FORWARDED_PROTO, HTTP);
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        if (!headers.contains(X_REQUEST_ID)) {
            headers.set(X_REQUEST_ID, requestId.next());
        }
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
