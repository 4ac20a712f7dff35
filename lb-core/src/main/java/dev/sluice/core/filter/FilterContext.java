package dev.sluice.core.filter;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;

/**
 * The data plane's side of one exchange as a filter sees it. Confined to the event loop running the exchange;
 * valid from {@link HttpFilter#onRequestHead} to {@link HttpFilter#onComplete}. Implementations reuse one
 * context object per connection, so filters must not keep it beyond {@code onComplete}.
 */
public interface FilterContext {

    /** The downstream client's address. */
    InetAddress clientAddress();

    /** The name of the listener that accepted the request. */
    String listenerName();

    /**
     * When the request head arrived: the {@link System#nanoTime()} reading the data plane took for it, the one the
     * exchange's latency is measured from. The same value in every stage of the exchange, from
     * {@code onRequestHead} to {@code onComplete}; no clock is read by this call and it allocates nothing. Only
     * differences between readings mean anything (monotonic, arbitrary origin, as {@code System.nanoTime()}).
     *
     * <p>A filter that needs the time per request (a rate limit) uses this reading rather than take its own: a
     * clock read costs 50 to 90 ns on a VM, as much as a whole filter stage.
     */
    long requestStartNanos();

    /**
     * Sends a local reply instead of forwarding: status, extra headers (may be {@code null}) and a JSON body.
     * The request body, if any, is discarded. Call at most once, from {@code onRequestHead}; then return
     * {@link FilterResult#RESPONDED}.
     */
    void respond(HttpResponseStatus status, HttpHeaders headers, String jsonBody);

    /**
     * Sends the request to this cluster instead of the one the listener's routes would choose. Providers
     * validate names at config time; a name that a later reload removed answers 503 {@code no_healthy_backend}.
     */
    void routeTo(String cluster);

    /** The cluster chosen so far ({@link #routeTo} or the route), or {@code null} before routing. */
    String cluster();

    /** Per-exchange state of the calling filter (e.g. the consumer for {@code onResponseHead}). */
    Object attachment();

    void setAttachment(Object value);
}
