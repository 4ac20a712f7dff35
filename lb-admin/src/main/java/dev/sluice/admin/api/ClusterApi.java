package dev.sluice.admin.api;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.ConfigValues;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.cluster.ClusterRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /api/v1/clusters/...}: reads clusters, changes their backends and balancer, and answers Maglev
 * questions (with {@link MaglevApi}). Every change is applied to the running {@link ClusterRuntime}, saved
 * through the {@link OverridesStore} and written to the audit log (logger {@code sluice.audit}) with who made
 * it and the state before and after.
 *
 * <p>Threading: admin worker thread only; a DELETE's drain wait is a poll scheduled on that same thread, so it
 * never blocks it.
 */
final class ClusterApi {

    private static final Logger AUDIT = LoggerFactory.getLogger("sluice.audit");
    /** How often a DELETE checks whether the removed backend's in-flight requests have finished. */
    private static final long DRAIN_POLL_MILLIS = 10;

    private final AdminControl control;
    private final ScheduledExecutorService worker;
    private final String who;

    ClusterApi(AdminControl control, ScheduledExecutorService worker, String who) {
        this.control = control;
        this.worker = worker;
        this.who = who;
    }

    /** Who the audit log names: {@code token} when a bearer token authenticated the request, else {@code local}. */
    String who() {
        return who;
    }

    CompletableFuture<Reply> handle(String method, String path, List<String> segs, String body, String remote) {
        if (segs.isEmpty()) {
            AdminRouter.allow(method, path, "GET");
            List<Object> all = new ArrayList<>();
            for (ClusterRuntime c : control.server().clusters()) {
                all.add(ClusterJson.of(c));
            }
            return done(Reply.json(200, all));
        }
        ClusterRuntime cluster = cluster(segs.get(0));
        String sub = segs.size() > 1 ? segs.get(1) : null;
        if (segs.size() == 1) {
            AdminRouter.allow(method, path, "GET");
            return done(Reply.json(200, ClusterJson.of(cluster)));
        }
        if ("backends".equals(sub) && segs.size() == 2) {
            AdminRouter.allow(method, path, "POST");
            return done(addBackend(cluster, body, remote));
        }
        if ("backends".equals(sub) && segs.size() == 3) {
            AdminRouter.allow(method, path, "PATCH, DELETE");
            HostPort address = backendAddress(cluster, segs.get(2));
            return method.equals("PATCH") ? done(patchBackend(cluster, address, body, remote)) : deleteBackend(cluster, address, remote);
        }
        if ("balancer".equals(sub) && segs.size() == 2) {
            AdminRouter.allow(method, path, "PUT");
            return done(setBalancer(cluster, body, remote));
        }
        if ("maglev".equals(sub) && segs.size() == 2) {
            AdminRouter.allow(method, path, "GET");
            return done(MaglevApi.table(cluster));
        }
        if ("maglev".equals(sub) && segs.size() == 3 && "dry-run".equals(segs.get(2))) {
            AdminRouter.allow(method, path, "POST");
            return done(MaglevApi.dryRun(cluster, body));
        }
        throw ApiException.notFound("not_found", "no admin endpoint at " + path);
    }

    private ClusterRuntime cluster(String name) {
        ClusterRuntime c = control.server().cluster(name);
        if (c == null) {
            throw ApiException.notFound("unknown_cluster", "there is no cluster named '" + name + "'");
        }
        return c;
    }

    private static HostPort backendAddress(ClusterRuntime cluster, String text) {
        HostPort address;
        try {
            address = HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("unknown_backend", "cluster '" + cluster.name() + "' has no backend '" + text + "'");
        }
        for (BackendConfig b : cluster.config().backends()) {
            if (b.address().equals(address)) {
                return address;
            }
        }
        throw ApiException.notFound("unknown_backend", "cluster '" + cluster.name() + "' has no backend " + address);
    }

    private Reply addBackend(ClusterRuntime cluster, String body, String remote) {
        JsonBody json = JsonBody.parse(body, Set.of("address", "weight", "state"));
        HostPort address = json.address("address", "");
        int weight = json.weight("weight", 1, "");
        BackendState state = json.has("state") ? state(json) : BackendState.ACTIVE;
        BackendConfig backend = new BackendConfig(address, weight, state);
        return change(cluster, "add_backend", remote, () -> {
            try {
                cluster.addBackend(backend);
            } catch (IllegalStateException e) {
                throw ApiException.conflict("duplicate_backend", "cluster '" + cluster.name() + "' already has backend " + address);
            }
            return Reply.json(201, ClusterJson.backend(cluster, backend));
        });
    }

    private Reply patchBackend(ClusterRuntime cluster, HostPort address, String body, String remote) {
        JsonBody json = JsonBody.parse(body, Set.of("weight", "state"));
        Integer weight = json.weight("weight", null, "");
        BackendState state = json.has("state") ? state(json) : null;
        if (weight == null && state == null) {
            throw ApiException.badRequest("the body needs 'weight' and/or 'state'");
        }
        return change(cluster, "update_backend", remote, () -> {
            if (cluster.updateBackend(address, weight, state) == null) {
                throw ApiException.notFound("unknown_backend", "cluster '" + cluster.name() + "' has no backend " + address);
            }
            for (BackendConfig b : cluster.config().backends()) {
                if (b.address().equals(address)) {
                    return Reply.json(200, ClusterJson.backend(cluster, b));
                }
            }
            throw ApiException.notFound("unknown_backend", "backend " + address + " was removed meanwhile");
        });
    }

    private CompletableFuture<Reply> deleteBackend(ClusterRuntime cluster, HostPort address, String remote) {
        Reply removed = change(cluster, "remove_backend", remote, () -> {
            if (cluster.removeBackend(address) == null) {
                throw ApiException.notFound("unknown_backend", "cluster '" + cluster.name() + "' has no backend " + address);
            }
            return Reply.noContent();
        });
        if (removed.status() != 204) {
            return done(removed);
        }
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        Duration timeout = control.server().config().runtime().drainTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitIdle(cluster, address, deadline, answer);
        return answer;
    }

    /** Completes {@code answer} with 204 once no request is in flight to {@code address} or the deadline passed. */
    private void awaitIdle(ClusterRuntime cluster, HostPort address, long deadline, CompletableFuture<Reply> answer) {
        long active = cluster.activeRequests(address);
        if (active == 0) {
            answer.complete(Reply.noContent());
        } else if (System.nanoTime() - deadline >= 0) {
            AUDIT.warn("who={} action=remove_backend cluster={} backend={}: {} request(s) still in flight at drain_timeout",
                    who, cluster.name(), address, active);
            answer.complete(Reply.noContent());
        } else {
            worker.schedule(() -> awaitIdle(cluster, address, deadline, answer), DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private Reply setBalancer(ClusterRuntime cluster, String body, String remote) {
        JsonBody json = JsonBody.parse(body, Set.of("balancer", "hash_key"));
        String balancer = json.text("balancer", "");
        String hashKey = json.has("hash_key") ? json.text("hash_key", "") : null;
        if (hashKey != null) {
            try {
                ConfigValues.checkHashKey(hashKey);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        return change(cluster, "set_balancer", remote, () -> {
            try {
                cluster.setBalancer(balancer, hashKey);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            return Reply.json(200, ClusterJson.of(cluster));
        });
    }

    private static BackendState state(JsonBody json) {
        String text = json.text("state", "");
        BackendState s = BackendState.fromWireName(text);
        if (s == null) {
            throw ApiException.badRequest("field 'state' must be active, draining or disabled, not '" + text + "'");
        }
        return s;
    }

    /**
     * Applies one change under the service's change lock, saves the cluster and writes the audit line. A save
     * failure is a 500 that says the change is in force but would not survive a restart.
     */
    private Reply change(ClusterRuntime cluster, String action, String remote, Supplier<Reply> apply) {
        return control.underChangeLock(() -> {
            ClusterConfig before = cluster.config();
            Reply reply = apply.get();
            ClusterConfig after = cluster.config();
            AUDIT.info("who={} remote={} action={} cluster={} before={} after={}", who, remote, action, cluster.name(),
                    summary(before), summary(after));
            try {
                control.overrides().save(after);
            } catch (IOException e) {
                AUDIT.error("cannot save {} to {}: {}", action, control.overrides().file(), e.toString());
                return Reply.error(500, "not_persisted", "the change is in force but could not be saved to "
                        + control.overrides().file() + " (" + e.getMessage() + "); it will not survive a restart");
            }
            return reply;
        });
    }

    private static Map<String, Object> summary(ClusterConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("balancer", c.balancer());
        m.put("hash_key", c.hashKey());
        List<String> backends = new ArrayList<>();
        for (BackendConfig b : c.backends()) {
            backends.add(b.address() + "/w" + b.weight() + "/" + b.state().wireName());
        }
        m.put("backends", backends);
        return m;
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
