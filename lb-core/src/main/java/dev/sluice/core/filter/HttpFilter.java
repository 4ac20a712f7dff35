package dev.sluice.core.filter;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * A stage that sees each request head before it is routed and each response head before it goes to the
 * client. One instance per event loop (made by {@link HttpFilterFactory#newFilter}), confined to that loop:
 * it may keep per-loop state without locks.
 *
 * <p>Contract: methods must not block or throw; they may change the head in place (headers, URI).
 * Returning {@link FilterResult#RESPONDED} from {@link #onRequestHead} requires a prior
 * {@link FilterContext#respond}. The heads' header maps do not check what is put in them: what came from the
 * client or the backend was checked byte by byte against the HTTP grammar before it was decoded, so a filter
 * must set only valid field names (tokens) and values (no CR, LF, NUL or other control characters).
 */
public interface HttpFilter {

    /**
     * Called for each request head before it is routed. The head and its field map belong to the exchange: the
     * proxy may reuse them for a later request of the connection once {@link #onComplete} has been called for this
     * exchange, so a filter must not keep them (or an iterator over them) past that; strings read from them stay
     * valid.
     */
    FilterResult onRequestHead(FilterContext ctx, HttpRequest head);

    /**
     * Called for the final response head (not for 1xx interim responses), including local replies. The proxy
     * writes (encodes) the head before {@link #onComplete}, so a field value set here may be a mutable
     * {@link CharSequence} the filter reuses once {@code onComplete} has been called for this exchange.
     */
    default void onResponseHead(FilterContext ctx, HttpResponse head) {
    }

    /**
     * Whether this filter needs the response head as a Netty object in {@link #onResponseHead}: to read, change
     * or remove its fields. A filter that only sets fields answers {@code false} and implements
     * {@link #setResponseFields} instead; when every filter that saw a request answers {@code false}, the proxy
     * writes the backend's head from the bytes it received instead of decoding it into objects and encoding it
     * again. Asked once per filter instance (the answer must not change); the default, {@code true}, keeps
     * {@link #onResponseHead}.
     */
    default boolean readsResponseHead() {
        return true;
    }

    /**
     * Called instead of {@link #onResponseHead} when {@link #readsResponseHead} is {@code false}, for the same
     * heads (final responses, including local replies). The filter puts fields into {@code fields}, an empty map
     * the proxy reuses per connection and clears once the head is written; it must not keep the map. Each field
     * set there replaces every field of the head with the same name (compared ignoring letter case), as
     * {@code headers.set} on the whole head would; several values under one name give several field lines.
     * Framing and hop-by-hop fields ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection},
     * {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Upgrade}) belong to the
     * proxy: such names set here are ignored, and the head keeps its own. The map does not check what is put in
     * it: names must be tokens and values free of control characters, as for {@link #onResponseHead}. The head is
     * written before {@link #onComplete}, so a value may be a mutable {@link CharSequence} the filter reuses once
     * {@code onComplete} has been called for this exchange.
     */
    default void setResponseFields(FilterContext ctx, HttpHeaders fields) {
    }

    /** Called once per exchange that reached {@link #onRequestHead}, when it ends for any reason. */
    default void onComplete(FilterContext ctx) {
    }
}
