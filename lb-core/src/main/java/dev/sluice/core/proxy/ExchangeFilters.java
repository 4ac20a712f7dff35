package dev.sluice.core.proxy;

import dev.sluice.core.filter.FilterContext;
import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The filter chain as one client connection runs it, and the {@link FilterContext} its filters see: which
 * filters were entered for the current exchange, each one's attachment, a reply a filter asked for, a cluster a
 * filter chose, and when the exchange's request head arrived.
 *
 * <p>Confined to the connection's event loop, one instance per connection, reused across exchanges
 * ({@link #reset}); an empty chain costs one length check per exchange.
 */
final class ExchangeFilters implements FilterContext {

    private static final HttpFilter[] NONE = new HttpFilter[0];

    private final CurrentExchange exchange;
    private final ListenerRuntime listener;
    private HttpFilter[] filters = NONE;
    private int entered;
    private int current;
    private long startNanos;
    private Object[] attachments;
    private String routedCluster;
    private FullHttpResponse reply;
    private final ResponseFields responseFields = new ResponseFields();
    /** The chain {@link #reads} and {@link #firstReader} describe; classified once per chain, not per exchange. */
    private HttpFilter[] classified;
    /** Per filter of {@link #classified}: whether it reads the response head ({@code readsResponseHead}). */
    private boolean[] reads;
    /** The index of the first filter of {@link #classified} that reads the response head, or its length. */
    private int firstReader;

    ExchangeFilters(CurrentExchange exchange, ListenerRuntime listener) {
        this.exchange = exchange;
        this.listener = listener;
    }

    /**
     * Runs {@code chain}'s request-head stage in order until a filter answers. {@code startNanos} is the
     * connection's clock reading for this request head, which the filters see as {@link #requestStartNanos}.
     *
     * @return {@link FilterResult#RESPONDED} when a filter answered; {@link #takeReply()} then gives its reply,
     *         or {@code null} when the filter claimed to answer without calling {@link #respond}
     */
    FilterResult onRequestHead(HttpFilter[] chain, HttpRequest head, long startNanos) {
        filters = chain;
        this.startNanos = startNanos; // kept for every stage of the exchange: filters never read the clock again
        if (chain.length == 0) {
            return FilterResult.CONTINUE;
        }
        if (attachments == null || attachments.length < chain.length) {
            attachments = new Object[chain.length];
        }
        if (chain != classified) {
            classify(chain);
        }
        for (int i = 0; i < chain.length; i++) {
            current = i;
            entered = i + 1;
            FilterResult r = chain[i].onRequestHead(this, head);
            if (reply != null || r == FilterResult.RESPONDED) {
                return FilterResult.RESPONDED;
            }
        }
        return FilterResult.CONTINUE;
    }

    /** The reply a filter asked for, handed over once; {@code null} when there is none. */
    FullHttpResponse takeReply() {
        FullHttpResponse r = reply;
        reply = null;
        return r;
    }

    /** The name of the filter that answered last, for a log line about a misbehaving filter. */
    String currentFilterName() {
        return filters[current].getClass().getName();
    }

    /** Whether any filter saw the current request, so would see its response head. */
    boolean seenRequest() {
        return entered > 0;
    }

    private void classify(HttpFilter[] chain) {
        boolean[] r = new boolean[chain.length];
        int first = chain.length;
        for (int i = chain.length - 1; i >= 0; i--) {
            r[i] = chain[i].readsResponseHead();
            if (r[i]) {
                first = i;
            }
        }
        reads = r;
        firstReader = first;
        classified = chain;
    }

    /**
     * Whether a filter that saw the current request reads the response head, so needs it as a Netty object; when
     * not, {@link #collectResponseFields} gives what the filters set.
     */
    boolean headReadByFilters() {
        return entered > firstReader;
    }

    /**
     * Runs the response-head stage of every filter that saw the request (final responses and local replies) on
     * {@code head}: {@code onResponseHead} for the filters that read it, and for the others the fields they set,
     * applied in the chain's order as {@code headers.set} would.
     */
    void onResponseHead(HttpResponse head) {
        for (int i = 0; i < entered; i++) {
            current = i;
            if (reads[i]) {
                filters[i].onResponseHead(this, head);
            } else {
                filters[i].setResponseFields(this, responseFields.map());
                responseFields.applyTo(head.headers());
            }
        }
    }

    /**
     * Runs {@code setResponseFields} of every filter that saw the request (none reads the head, see
     * {@link #headReadByFilters}) and gives the fields they set, without the names the proxy owns. The caller
     * writes them, then calls {@link #clearResponseFields}.
     */
    HttpHeaders collectResponseFields() {
        HttpHeaders fields = responseFields.map();
        for (int i = 0; i < entered; i++) {
            current = i;
            filters[i].setResponseFields(this, fields);
        }
        return responseFields.withoutProxyOwned();
    }

    /** Forgets the fields {@link #collectResponseFields} gave, once the head is written. */
    void clearResponseFields() {
        responseFields.clear();
    }

    /** Runs the completion stage of every filter that saw the request and forgets their attachments. */
    void onComplete() {
        for (int i = 0; i < entered; i++) {
            current = i;
            filters[i].onComplete(this);
        }
        for (int i = 0; i < entered; i++) {
            attachments[i] = null;
        }
        entered = 0;
    }

    /** The cluster a filter chose with {@link #routeTo}, or {@code null}. */
    String routedCluster() {
        return routedCluster;
    }

    void reset() {
        filters = NONE;
        routedCluster = null;
        if (reply != null) {
            reply.release();
            reply = null;
        }
    }

    @Override
    public InetAddress clientAddress() {
        return exchange.clientAddress();
    }

    @Override
    public String listenerName() {
        return listener.name();
    }

    @Override
    public long requestStartNanos() {
        return startNanos;
    }

    @Override
    public void respond(HttpResponseStatus status, HttpHeaders headers, String jsonBody) {
        FullHttpResponse r = LocalReply.jsonResponse(status, Unpooled.copiedBuffer(jsonBody, StandardCharsets.UTF_8), false);
        if (headers != null) {
            r.headers().add(headers);
        }
        if (reply != null) {
            reply.release();
        }
        reply = r;
    }

    @Override
    public void routeTo(String cluster) {
        this.routedCluster = cluster;
    }

    @Override
    public String cluster() {
        return routedCluster != null ? routedCluster : exchange.routedClusterName();
    }

    @Override
    public Object attachment() {
        return attachments[current];
    }

    @Override
    public void setAttachment(Object value) {
        attachments[current] = value;
    }
}
