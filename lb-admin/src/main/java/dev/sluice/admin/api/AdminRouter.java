package dev.sluice.admin.api;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.filter.AdminEndpoint;
import dev.sluice.core.filter.HttpFilterFactory;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Maps a method and path to the endpoint that answers it (CONTRACT.md section 4). Unknown paths are 404
 * {@code not_found}; a known path with the wrong method is 405 {@code method_not_allowed} with {@code Allow}.
 * Paths the core does not know are offered to the filter modules' {@link AdminEndpoint}s by prefix.
 *
 * <p>Threading: admin worker thread only.
 */
final class AdminRouter {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRouter.class);
    private static final String CLUSTERS = "/api/v1/clusters";

    private final AdminControl control;
    private final ClusterApi clusters;

    AdminRouter(AdminControl control, ScheduledExecutorService worker, String who) {
        this.control = control;
        this.clusters = new ClusterApi(control, worker, who);
    }

    /** Answers one request; the future completes on the worker (later only for a draining DELETE). */
    CompletableFuture<Reply> handle(String method, String uri, String body, String remote) {
        String path = new QueryStringDecoder(uri).path();
        try {
            return route(method, path, body, remote);
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(e.toReply());
        }
    }

    private CompletableFuture<Reply> route(String method, String path, String body, String remote) {
        switch (path) {
            case "/healthz":
                allow(method, path, "GET");
                return done(Reply.text(200, "ok\n"));
            case "/readyz":
                allow(method, path, "GET");
                return done(control.isReady() ? Reply.text(200, "ready\n") : Reply.text(503, "not ready\n"));
            case "/metrics":
                allow(method, path, "GET");
                return done(Reply.prometheus(MetricsWriter.write(control.server(), control.healthSnapshots())));
            case "/api/v1/stats":
                allow(method, path, "GET");
                return done(Reply.json(200, StatsJson.of(control.server())));
            case "/api/v1/config":
                allow(method, path, "GET");
                return done(Reply.json(200, ConfigJson.of(control.server().config())));
            case "/api/v1/reload":
                allow(method, path, "POST");
                return done(reload(remote));
            default:
                if (path.equals(CLUSTERS) || path.startsWith(CLUSTERS + "/")) {
                    return clusters.handle(method, path, segments(path.substring(CLUSTERS.length())), body, remote);
                }
                return done(filterEndpoint(method, path, body));
        }
    }

    private Reply reload(String remote) {
        long before = control.server().configVersion();
        try {
            long version = control.reload();
            LOG.info("audit who={} remote={} action=reload before=v{} after=v{}", clusters.who(), remote, before, version);
            return Reply.json(200, Map.of("version", version));
        } catch (ConfigException e) {
            List<String> errors = new ArrayList<>();
            for (ConfigError error : e.errors()) {
                errors.add(error.toString());
            }
            LOG.warn("audit who={} remote={} action=reload refused, keeping v{}: {}", clusters.who(), remote, before, errors);
            return Reply.json(400, Map.of("errors", errors));
        } catch (IllegalStateException e) {
            LOG.warn("audit who={} remote={} action=reload refused, keeping v{}: {}", clusters.who(), remote, before, e.getMessage());
            return Reply.json(400, Map.of("errors", List.of(e.getMessage())));
        }
    }

    private Reply filterEndpoint(String method, String path, String body) {
        for (HttpFilterFactory factory : control.server().filterFactories()) {
            for (AdminEndpoint endpoint : factory.adminEndpoints()) {
                String prefix = endpoint.pathPrefix();
                if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                    AdminEndpoint.AdminReply r = endpoint.handle(method, path, body);
                    return r.jsonBody() == null ? new Reply(r.status(), null, null, null) : new Reply(r.status(), Reply.JSON, r.jsonBody(), null);
                }
            }
        }
        throw ApiException.notFound("not_found", "no admin endpoint at " + path);
    }

    /** Throws 405 unless {@code method} is one of the comma-separated {@code allowed}. */
    static void allow(String method, String path, String allowed) {
        for (String m : allowed.split(", ")) {
            if (m.equals(method)) {
                return;
            }
        }
        throw ApiException.methodNotAllowed(method, path, allowed);
    }

    /** The non-empty, percent-decoded segments of {@code rest}. */
    private static List<String> segments(String rest) {
        List<String> out = new ArrayList<>();
        for (String s : rest.split("/")) {
            if (!s.isEmpty()) {
                out.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        return out;
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
