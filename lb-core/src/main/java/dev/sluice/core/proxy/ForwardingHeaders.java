package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * The hop-by-hop rule of CONTRACT.md section 5: hop-by-hop fields and every field named in {@code Connection}
 * are removed in both directions. (What requests gain instead, {@code X-Forwarded-*} and {@code X-Request-Id}, is
 * {@link ForwardingFields}'.)
 *
 * <p>Stateless; called on event loops. Allocates only when a {@code Connection} field names other fields.
 */
final class ForwardingHeaders {

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
}
