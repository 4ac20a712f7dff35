package dev.sluice.core.proxy;

import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.stats.Counter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a valid request head to its cluster: runs the request filters, matches the listener's routes (or takes
 * the cluster a filter chose), enters the exchange in the cluster's newest snapshot (its attempts, its retry
 * budget, its request body limit), and refuses a declared body over that limit before any 100 Continue went out.
 *
 * <p>Confined to the connection's event loop; one instance per connection, with no state of its own: what it
 * decides goes into the {@link CurrentExchange} and the collaborators that take part in the exchange, so routing
 * allocates nothing. A refusal or a filter's reply is sent through the {@link FrontendHandler}, which then starts
 * no attempt.
 */
final class RequestRouter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

    private final FrontendHandler owner;
    private final Worker worker;
    private final ListenerRuntime listener;
    private final CurrentExchange exchange;
    private final ExchangeFilters filters;
    private final UpstreamAttempts attempts;
    private final ExchangeRetries retries;
    private final RequestBodyForwarder body;

    RequestRouter(FrontendHandler owner, Worker worker, ListenerRuntime listener, CurrentExchange exchange,
                  ExchangeFilters filters, UpstreamAttempts attempts, ExchangeRetries retries,
                  RequestBodyForwarder body) {
        this.owner = owner;
        this.worker = worker;
        this.listener = listener;
        this.exchange = exchange;
        this.filters = filters;
        this.attempts = attempts;
        this.retries = retries;
        this.body = body;
    }

    /**
     * Routes the exchange's request head {@code req} ({@code chunked} when its body is).
     *
     * @return whether the exchange may go to its cluster; {@code false} when the client was answered instead
     */
    boolean route(HttpRequest req, boolean chunked) {
        if (!runRequestFilters(req)) {
            return false;
        }
        String routedCluster = filters.routedCluster();
        ClusterRuntime target = routedCluster != null
                ? worker.server().cluster(routedCluster)
                : listener.routing().routes().match(req);
        if (target == null) {
            owner.replyLocally(routedCluster != null ? LocalReply.NO_HEALTHY_BACKEND : LocalReply.NO_ROUTE, false);
            return false;
        }
        exchange.routeTo(worker.cluster(target));
        LoopCluster cluster = exchange.cluster();
        attempts.begin(cluster, exchange.clusterConfig(), exchange.startNanos());
        retries.enter(cluster);
        cluster.counters().increment(Counter.REQUESTS);
        long maxRequestBody = exchange.clusterConfig().maxRequestBody();
        body.limit(maxRequestBody);
        if (maxRequestBody >= 0 && !chunked && HttpUtil.getContentLength(req, 0L) > maxRequestBody) {
            // Refused before any 100 Continue could be sent, so the client never sends the body.
            owner.replyLocally(LocalReply.PAYLOAD_TOO_LARGE, true);
            return false;
        }
        return true;
    }

    /** Runs the request filters; {@code false} when one answered (its reply is then sent). */
    private boolean runRequestFilters(HttpRequest req) {
        if (filters.onRequestHead(worker.filters(), req, exchange.startNanos()) == FilterResult.CONTINUE) {
            return true;
        }
        FullHttpResponse reply = filters.takeReply();
        if (reply != null) {
            // Sent only now, after the filter returned: sending may start the next exchange.
            owner.sendLocal(reply, false);
        } else {
            LOG.warn("filter {} returned RESPONDED without responding", filters.currentFilterName());
            owner.replyLocally(LocalReply.BAD_REQUEST, true);
        }
        return false;
    }
}
