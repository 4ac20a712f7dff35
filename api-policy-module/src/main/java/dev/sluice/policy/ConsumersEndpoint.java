package dev.sluice.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.filter.AdminEndpoint;
import dev.sluice.policy.config.Plan;
import dev.sluice.policy.config.Quota;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/**
 * The admin API of the policy (CONTRACT.md section 6) under {@code /api/v1/consumers}: create consumers, show
 * one (plan, key ids, quota usage), change its plan, add and revoke keys. A key appears only in the answer that
 * created it. Runs on the admin thread; changes go through {@link ConsumerRegistry}, which writes the store
 * before the loops see them. Errors are {@code {"error","message"}} with 400, 404, 405 or 409 (503 once the
 * policy was replaced by a reload).
 */
final class ConsumersEndpoint implements AdminEndpoint {

    static final String PREFIX = "/api/v1/consumers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsumerRegistry registry;
    private final PolicyClock clock;

    ConsumersEndpoint(ConsumerRegistry registry, PolicyClock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String pathPrefix() {
        return PREFIX;
    }

    @Override
    public AdminReply handle(String method, String path, String body) {
        try {
            return route(method, path, body);
        } catch (AdminProblem p) {
            return new AdminReply(p.status(), Json.error(p.code(), p.getMessage(), null));
        }
    }

    private AdminReply route(String method, String path, String body) {
        String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
        if (!path.startsWith(PREFIX) || path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/') {
            throw new AdminProblem(404, "not_found", "no such path: " + path);
        }
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        if (parts.length == 0) {
            return switch (method) {
                case "POST" -> create(body);
                case "GET" -> list();
                default -> throw notAllowed(method, path);
            };
        }
        String name = parts[0];
        if (parts.length == 1) {
            return switch (method) {
                case "GET" -> describe(name);
                case "PATCH" -> patch(name, body);
                default -> throw notAllowed(method, path);
            };
        }
        if (parts.length == 2 && parts[1].equals("keys")) {
            if (!method.equals("POST")) {
                throw notAllowed(method, path);
            }
            return created(registry.addKey(name));
        }
        if (parts.length == 3 && parts[1].equals("keys")) {
            if (!method.equals("DELETE")) {
                throw notAllowed(method, path);
            }
            registry.revoke(name, parts[2]);
            return new AdminReply(204, null);
        }
        throw new AdminProblem(404, "not_found", "no such path: " + path);
    }

    private AdminReply create(String body) {
        ObjectNode o = object(body, List.of("name", "plan"));
        return created(registry.create(text(o, "name"), text(o, "plan")));
    }

    private AdminReply patch(String name, String body) {
        ObjectNode o = object(body, List.of("plan"));
        registry.setPlan(name, text(o, "plan"));
        return describe(name);
    }

    private AdminReply list() {
        ArrayNode names = JSON.createArrayNode();
        registry.all().forEach(c -> names.add(c.name()));
        ObjectNode o = JSON.createObjectNode();
        o.set("consumers", names);
        return new AdminReply(200, o.toString());
    }

    private AdminReply describe(String name) {
        Consumer c = registry.get(name);
        if (c == null) {
            throw new AdminProblem(404, "not_found", "no consumer '" + name + "'");
        }
        Plan plan = c.plan();
        ObjectNode o = JSON.createObjectNode().put("name", c.name()).put("plan", plan.name())
                .put("from_config", c.fromConfig());
        ArrayNode ids = o.putArray("key_ids");
        c.keys().forEach(k -> ids.add(k.id()));
        ObjectNode usage = o.putObject("usage");
        Quota quota = plan.quota();
        long now = clock.currentTimeMillis();
        if (quota != null) {
            usage.put("quota_used", registry.quotaUsed(c, now)).put("quota_limit", quota.limit())
                    .put("resets_at", Instant.ofEpochMilli(quota.period().endMillis(now)).toString());
        } else {
            usage.put("quota_used", 0).putNull("quota_limit").putNull("resets_at");
        }
        return new AdminReply(200, o.toString());
    }

    private static AdminReply created(ConsumerRegistry.NewKey k) {
        ObjectNode o = JSON.createObjectNode().put("name", k.consumer()).put("key_id", k.keyId()).put("key", k.key());
        return new AdminReply(201, o.toString());
    }

    /** The body as an object with only the {@code allowed} fields. */
    private static ObjectNode object(String body, List<String> allowed) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AdminProblem(400, "bad_request", "the body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode o)) {
            throw new AdminProblem(400, "bad_request", "the body must be a JSON object with "
                    + String.join(" and ", allowed));
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw new AdminProblem(400, "bad_request", "unknown field '" + field + "': expected "
                        + String.join(", ", allowed));
            }
        }
        return o;
    }

    private static String text(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new AdminProblem(400, "bad_request", "missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new AdminProblem(400, "bad_request", "field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static AdminProblem notAllowed(String method, String path) {
        return new AdminProblem(405, "method_not_allowed", method + " is not supported on " + path);
    }
}
