package dev.sluice.core.proxy;

import dev.sluice.core.proxy.ExchangeRetries.RetryReason;
import dev.sluice.core.stats.Counter;
import dev.sluice.core.stats.TrafficCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One client connection: reads requests one at a time, routes, filters and balances each, forwards it to a
 * pooled upstream connection on the same event loop, and streams the response back.
 *
 * <p>Confined to the connection's event loop. Reads are explicit (auto-read is off and a
 * {@code FlowControlHandler} hands over one message per read), so a request body is read only as fast as
 * the upstream accepts it, and the next pipelined request is read only after the current response ended:
 * pipelined requests are answered in order. Response bodies pause the upstream's reads while the client is
 * not writable. Per exchange the handler allocates nothing of its own beyond what the codecs produce; its
 * state, and its collaborators', lives in fields reset between exchanges.
 *
 * <p>This class is the exchange's state machine: its phase, which client message each phase takes, and
 * starting, failing and ending exchanges. It hands the rest to collaborators it owns, one each per connection
 * and confined with it: {@link CurrentExchange} (the exchange's request, cluster and accounting),
 * {@link RequestRouter} (filters, route and cluster), {@link ExchangeFilters} (the filter chain),
 * {@link UpstreamAttempts} (picking and connecting), {@link ExchangeRetries} (retry decisions and budget),
 * {@link UpstreamRequestWriter} (the request head upstream), {@link RequestBodyForwarder} (client reads and the
 * request body), {@link UpstreamLease} (the attempt's connection, what it reports and its failures),
 * {@link ResponseRelay} (the response side) and {@link ConnectionTimer} (the armed deadline and its length).
 * They call back only into the package-private methods below that say so.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

    private enum Phase { IDLE, ROUTING, CONNECTING, FORWARDING, DISCARDING, CLOSED }

    private final Worker worker;
    private final ListenerRuntime listener;
    private final TrafficCounters listenerCounters;
    private final ConnectionTimer timer;
    private ChannelHandlerContext ctx;
    private FrontendCodec codec;
    private InetAddress clientAddress;
    private String clientIp;
    private boolean admitted;
    private Phase phase = Phase.IDLE;

    private final CurrentExchange exchange;
    private final ExchangeFilters filters;
    private final ResponseRelay relay;
    private final RequestBodyForwarder body;
    private final ExchangeRetries retries = new ExchangeRetries();
    private final UpstreamAttempts attempts;
    private final RequestRouter router;
    private final UpstreamRequestWriter requestWriter;
    private final UpstreamLease lease;

    FrontendHandler(Worker worker, ListenerRuntime listener) {
        this.worker = worker;
        this.listener = listener;
        this.listenerCounters = worker.listenerCounters(listener);
        this.exchange = new CurrentExchange(listenerCounters);
        this.timer = new ConnectionTimer(worker.wheel(), this, exchange);
        this.body = new RequestBodyForwarder(this, timer);
        this.filters = new ExchangeFilters(exchange, listener);
        this.attempts = new UpstreamAttempts(this, exchange, worker, retries);
        this.relay = new ResponseRelay(this, filters, attempts, timer, listenerCounters);
        this.router = new RequestRouter(this, worker, listener, exchange, filters, attempts, retries, body);
        this.requestWriter = new UpstreamRequestWriter(exchange, body, timer, worker.requestIds());
        this.lease = new UpstreamLease(this, exchange, attempts, retries, body, relay);
    }

    // ---- connection lifecycle --------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.codec = ctx.pipeline().get(FrontendCodec.class);
        relay.init(ctx, codec);
        body.init(ctx);
        lease.init(ctx);
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        this.clientAddress = remote.getAddress();
        this.clientIp = clientAddress.getHostAddress();
        exchange.init(clientAddress);
        requestWriter.init(clientIp);
        timer.limits(listener.routing().config().limits());
        listenerCounters.increment(Counter.CONNECTIONS_ACCEPTED);
        if (!listener.tryAdmit(clientAddress)) {
            listenerCounters.increment(Counter.CONNECTIONS_REFUSED);
            ctx.close();
            return;
        }
        admitted = true;
        listenerCounters.add(Counter.CONNECTIONS_ACTIVE, 1);
        worker.register(this);
        timer.armFirstIdle();
        body.requestRead();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel();
        if (admitted) {
            admitted = false;
            listener.releaseConnection(clientAddress);
            listenerCounters.add(Counter.CONNECTIONS_ACTIVE, -1);
            worker.unregister(this);
        }
        if (phase != Phase.IDLE && phase != Phase.CLOSED) {
            lease.abort(false);
            retries.leave();
            filters.onComplete();
        }
        relay.connectionClosed();
        phase = Phase.CLOSED;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("client {} connection failed: {}", clientIp, cause.toString());
        } else {
            LOG.warn("client {} connection closed after an unexpected error", clientIp, cause);
        }
        ctx.close();
    }

    /** Called by the inbound byte counter in front of the decoder for every read. */
    void onInboundBytes(int bytes) {
        body.socketReadStarted();
        listenerCounters.add(Counter.BYTES_IN, bytes);
        timer.onClientBytes(phase == Phase.IDLE);
    }

    /**
     * Called by the inbound byte counter when a socket read from the client ended, whatever the flow-control
     * stage passes on: one flush sends every body part that read brought, one write instead of one per part.
     */
    void onInboundReadComplete() {
        body.socketReadEnded();
    }

    /**
     * The server is draining: closes now when idle. A busy connection closes once its current exchange is done,
     * as {@link #draining()} tells every exchange from the moment the drain starts. Called on this loop.
     */
    void drain() {
        if (phase == Phase.IDLE) {
            ctx.close();
        }
    }

    // ---- request side -----------------------------------------------------------------------------------

    /** Whether the current phase takes the next inbound message. */
    private boolean wantsInput() {
        return switch (phase) {
            case IDLE, DISCARDING -> true;
            case FORWARDING -> !exchange.requestDone() && lease.connection() != null && !body.waitsForUpstream();
            default -> false;
        };
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // A read cycle can end without a whole message (a partial head or chunk): ask again if still wanted.
        body.readAnswered();
        if (wantsInput()) {
            body.requestRead();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        body.readAnswered();
        if (msg instanceof HttpRequest req) {
            onRequestHead(req);
        } else if (msg instanceof HttpContent content) {
            onRequestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHead(HttpRequest req) {
        if (phase != Phase.IDLE) {
            // Cannot happen with one read per message; refuse rather than interleave two exchanges.
            ctx.close();
            return;
        }
        phase = Phase.ROUTING;
        long startNanos = System.nanoTime();
        listenerCounters.increment(Counter.REQUESTS);
        timer.disarm();
        LocalReply refusal = RequestHeadValidator.check(req);
        relay.onRequest(req);
        boolean chunked = HttpUtil.isTransferEncodingChunked(req);
        exchange.begin(req, startNanos, chunked || HttpUtil.getContentLength(req, 0L) > 0);
        if (refusal != null) {
            replyLocally(refusal, true);
            return;
        }
        if (router.route(req, chunked)) {
            requestWriter.prepare(req, chunked);
            attempts.pickAndConnect();
        }
    }

    private void onRequestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        UpstreamHandler upstream = lease.connection();
        if (phase != Phase.FORWARDING || upstream == null) {
            // A local reply was sent (DISCARDING), or the exchange is being torn down: drop the body.
            content.release();
            if (last && phase == Phase.DISCARDING) {
                exchange.requestEnded();
                endExchange();
            }
            return;
        }
        LocalReply refusal = body.admit(content);
        if (refusal != null) {
            failExchange(refusal);
            return;
        }
        if (last) {
            exchange.requestEnded();
            requestWriter.end((LastHttpContent) content, upstream);
            if (relay.done()) {
                endExchange();
            } else {
                timer.armResponse();
            }
            return;
        }
        body.forward(content, upstream);
    }

    /** The current attempt's connection, or {@code null}. */
    UpstreamHandler upstream() {
        return lease.connection();
    }

    // ---- what the attempts, the lease and the relay report ---------------------------------------------

    /** Called by {@link UpstreamAttempts} when the attempt waits for a new connection. */
    void connecting() {
        phase = Phase.CONNECTING;
    }

    /** Called by {@link UpstreamAttempts} with the connection from {@code pool} the attempt goes out on. */
    void useConnection(UpstreamPool pool, UpstreamHandler connection, boolean reused) {
        phase = Phase.FORWARDING;
        lease.hold(pool, connection, reused);
        requestWriter.write(pool, connection);
    }

    /** Called by {@link UpstreamAttempts} when no attempt can be made: the client gets {@code reply}. */
    void refuseAttempt(LocalReply reply) {
        replyLocally(reply, exchange.requestHasBody());
    }

    /** Whether the request may be sent again: never once a body byte left; the rest {@link ExchangeRetries} decides. */
    boolean mayRetry(RetryReason reason, int status) {
        return lease.mayRetry(reason, status);
    }

    /** The attempt failed and may be retried: the same request head goes to another backend. */
    void retry() {
        lease.retry();
    }

    /** Asked by the relay for a final 5xx: whether it was retried; see {@link UpstreamLease#retryOnStatus}. */
    boolean retryOnStatus(int status) {
        return lease.retryOnStatus(status);
    }

    /** Called by the relay once the response's last part went to the client. */
    void responseRelayed() {
        if (!exchange.requestDone()) {
            // The backend answered before the request body ended: the connection's framing is
            // now ambiguous, so neither side is kept.
            lease.discardAfter();
            relay.closeClientAfter();
        }
        endExchange();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        relay.onClientWritabilityChanged(lease.connection());
        ctx.fireChannelWritabilityChanged();
    }

    /** Whether the connection closes once the current exchange is done; asked for each final response head. */
    boolean draining() {
        return worker.isDraining();
    }

    // ---- timeouts ----------------------------------------------------------------------------------------

    /** Called by {@link ConnectionTimer} when the armed deadline of {@code kind} passed. */
    void onTimeout(Deadline kind) {
        switch (kind) {
            case IDLE -> ctx.close();
            case HEAD -> replyLocally(LocalReply.REQUEST_TIMEOUT, true);
            case BODY -> failExchange(LocalReply.REQUEST_TIMEOUT);
            case RESPONSE -> {
                if (phase == Phase.FORWARDING || phase == Phase.CONNECTING) {
                    lease.onResponseTimeout();
                }
            }
            case WRITE -> {
                lease.abort(false);
                ctx.close();
            }
            case NONE -> { }
        }
    }

    // ---- ending exchanges ----------------------------------------------------------------------------------

    /** A request-side failure after routing: the upstream is dropped and the client gets {@code reply}. */
    private void failExchange(LocalReply reply) {
        lease.abort(false);
        if (relay.started()) {
            ctx.close();
        } else {
            replyLocally(reply, true);
        }
    }

    /**
     * Answers with Sluice's own reply. {@code close} (or a request body still unread) closes the
     * connection afterwards, as does a client that asked for it.
     */
    void replyLocally(LocalReply reply, boolean close) {
        sendLocal(reply.newResponse(false), close);
    }

    /** Answers with {@code r}, a filter's reply or a local one; {@code close} as for {@link #replyLocally}. */
    void sendLocal(FullHttpResponse r, boolean close) {
        if (relay.started()) {
            r.release();
            ctx.close();
            return;
        }
        lease.abort(false);
        boolean closeAfter = relay.sendLocal(r, close || draining() || (exchange.requestHasBody() && !exchange.requestDone()));
        if (closeAfter || exchange.requestDone()) {
            endExchange();
        } else {
            phase = Phase.DISCARDING; // drop the rest of this request (its empty last part), then go on
            body.requestRead();
        }
    }

    /** The response went out: account, release or close the upstream, then read the next request or close. */
    private void endExchange() {
        long now = System.nanoTime(); // one reading for the latency, the pool's idle clock and the idle deadline
        timer.disarm();
        attempts.endAttempt(relay.status() >= 500);
        lease.release(now);
        exchange.account(relay.status(), now);
        retries.leave();
        filters.onComplete();
        boolean close = relay.closesClient(draining());
        resetExchange();
        if (close) {
            phase = Phase.CLOSED;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        phase = Phase.IDLE;
        timer.armIdle(now);
        body.requestRead();
    }

    private void resetExchange() {
        HttpRequest ended = exchange.request();
        exchange.reset();
        lease.reset();
        attempts.reset();
        retries.reset();
        body.reset();
        relay.reset();
        codec.relayEnded();
        filters.reset();
        if (ended != null) {
            codec.recycle(ended); // last: every stage above has let go of the request
        }
        timer.limits(listener.routing().config().limits());
    }
}
