package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;

/**
 * The hop-by-hop rule of CONTRACT.md section 5: hop-by-hop fields and every field named in {@code Connection}
 * are removed in both directions. (What requests gain instead, {@code X-Forwarded-*} and {@code X-Request-Id}, is
 * {@link ForwardingFields}'.)
 *
 * <p>Stateless; called on event loops. Allocates only for a {@code Connection} field that names other fields, or
 * for several {@code Connection} fields: a list and a string per name.
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
        int connectionFields = RequestHeadValidator.count(headers, HttpHeaderNames.CONNECTION);
        if (connectionFields > 0) {
            removeNominated(headers, connectionFields);
        }
        removeAll(headers, HOP_BY_HOP);
    }

    /** Removes every field named any of {@code names}: in one pass over the fields of a scanned head. */
    static void removeAll(HttpHeaders headers, AsciiString[] names) {
        if (headers instanceof HeadFields fields) {
            fields.removeAll(names);
            return;
        }
        for (AsciiString name : names) {
            headers.remove(name);
        }
    }

    /**
     * Removes the fields that the {@code connectionFields} {@code Connection} fields name. Their elements are read
     * in place: only a name to remove becomes a string of its own, and a single {@code Connection} value is read
     * without a list.
     */
    private static void removeNominated(HttpHeaders headers, int connectionFields) {
        List<String> nominated = null;
        if (connectionFields == 1) {
            nominated = addNominated(headers.get(HttpHeaderNames.CONNECTION), null);
        } else {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                nominated = addNominated(value, nominated);
            }
        }
        if (nominated != null) {
            for (String name : nominated) {
                headers.remove(name);
            }
        }
    }

    /**
     * Adds the field names that the {@code Connection} value {@code value} nominates to {@code names}, made when
     * the first is found; returns the list, {@code null} while none was.
     */
    private static List<String> addNominated(String value, List<String> names) {
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i < value.length() && value.charAt(i) != ',') {
                continue;
            }
            int from = start;
            int to = i;
            start = i + 1;
            while (from < to && value.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && value.charAt(to - 1) <= ' ') {
                to--;
            }
            if (from < to && !isProtected(value, from, to)) {
                if (names == null) {
                    names = new ArrayList<>(2);
                }
                names.add(value.substring(from, to));
            }
        }
        return names;
    }

    /** Whether the element {@code value[from, to)} is a connection option or names a field that must stay. */
    private static boolean isProtected(String value, int from, int to) {
        return elementIs(value, from, to, HttpHeaderValues.CLOSE)
                || elementIs(value, from, to, HttpHeaderValues.KEEP_ALIVE)
                || elementIs(value, from, to, HttpHeaderNames.HOST)
                || elementIs(value, from, to, HttpHeaderNames.CONTENT_LENGTH);
    }

    private static boolean elementIs(String value, int from, int to, AsciiString token) {
        return to - from == token.length() && token.regionMatches(true, 0, value, from, to - from);
    }
}
