package dev.sluice.core.filter;

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

    FilterResult onRequestHead(FilterContext ctx, HttpRequest head);

    /**
     * Called for the final response head (not for 1xx interim responses), including local replies. The proxy
     * writes (encodes) the head before {@link #onComplete}, so a field value set here may be a mutable
     * {@link CharSequence} the filter reuses once {@code onComplete} has been called for this exchange.
     */
    default void onResponseHead(FilterContext ctx, HttpResponse head) {
    }

    /** Called once per exchange that reached {@link #onRequestHead}, when it ends for any reason. */
    default void onComplete(FilterContext ctx) {
    }
}
