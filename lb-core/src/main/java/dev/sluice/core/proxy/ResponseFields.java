package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * The fields that filters which only set response fields ({@code readsResponseHead() == false}) put into a
 * response head: one map per client connection, filled through {@code HttpFilter.setResponseFields}, written or
 * applied, then cleared. Names the proxy owns (framing and hop-by-hop) are taken out before anything is written:
 * the head keeps its own framing whatever a filter set.
 *
 * <p>Confined to the connection's event loop. The map is made on first use and reused for every exchange.
 */
final class ResponseFields {

    /** Fields that frame the message or concern only one connection: never taken from a filter. */
    private static final AsciiString[] PROXY_OWNED = {
        HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.CONNECTION,
        HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
        HttpHeaderNames.UPGRADE
    };

    private HttpHeaders fields;

    /** The empty map filters fill for the current head. */
    HttpHeaders map() {
        HttpHeaders f = fields;
        if (f == null) {
            f = HttpGrammar.CHECKED_FIELDS.newHeaders();
            fields = f;
        }
        return f;
    }

    /** Takes the names the proxy owns out of the filled map; returns it. */
    HttpHeaders withoutProxyOwned() {
        HttpHeaders f = map();
        if (!f.isEmpty()) {
            for (AsciiString name : PROXY_OWNED) {
                f.remove(name);
            }
        }
        return f;
    }

    /**
     * Applies the filled map to {@code head} as {@code head.set(name, values)} would for each name, then clears
     * the map. For a head materialised as objects (a filter reads it, or a local reply).
     */
    void applyTo(HttpHeaders head) {
        HttpHeaders f = withoutProxyOwned();
        if (f.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> it = f.iteratorCharSequence();
        while (it.hasNext()) {
            head.remove(it.next().getKey());
        }
        it = f.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            head.add(field.getKey(), field.getValue());
        }
        f.clear();
    }

    /** Forgets the fields once the head is written (their values may be buffers a filter reuses). */
    void clear() {
        if (fields != null) {
            fields.clear();
        }
    }
}
