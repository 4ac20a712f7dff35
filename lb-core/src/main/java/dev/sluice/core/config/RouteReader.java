package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a listener's {@code routes:}: each needs a {@code cluster} that exists, and an optional {@code match}.
 * Match hosts and header names are stored in lower case (both are compared case-insensitively), so the data
 * plane need not fold case per request. Confined to the thread reading the config.
 */
final class RouteReader {

    static final List<String> ROUTE_KEYS = List.of("match", "cluster");
    static final List<String> MATCH_KEYS = List.of("host", "path_prefix", "method", "headers");

    private final ConfigProblems problems;
    private final List<String> clusterNames;

    RouteReader(ConfigProblems problems, List<String> clusterNames) {
        this.problems = problems;
        this.clusterNames = clusterNames;
    }

    /** Reads the routes of {@code listener} (e.g. {@code listener 'public'}), skipping the ones in error. */
    List<RouteConfig> read(List<ConfigNode> items, String listener) {
        List<RouteConfig> routes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String label = "route " + (i + 1) + " of " + listener;
            MappingReader section = MappingReader.of(items.get(i), label, "in " + label, problems, ROUTE_KEYS);
            if (section != null) {
                RouteConfig route = route(section, label);
                if (route != null) {
                    routes.add(route);
                }
            }
        }
        return routes;
    }

    private RouteConfig route(MappingReader section, String label) {
        String cluster = section.requiredText("cluster");
        if (cluster != null && !clusterNames.contains(cluster)) {
            String expected = clusterNames.isEmpty() ? "no clusters are defined"
                    : "expected one of " + String.join(", ", clusterNames) + DidYouMean.hint(cluster, clusterNames);
            problems.at(section.value("cluster"), "unknown cluster '" + cluster + "' in " + label + ": " + expected);
            cluster = null;
        }
        MappingReader match = section.mapping("match", "in the match of " + label, MATCH_KEYS);
        RouteMatch routeMatch = match == null ? RouteMatch.any() : match(match);
        return cluster == null ? null : new RouteConfig(routeMatch, cluster);
    }

    private RouteMatch match(MappingReader match) {
        String host = match.text("host", null);
        if (host != null) {
            host = host.toLowerCase(Locale.ROOT);
            String problem = hostPatternProblem(host);
            if (problem != null) {
                problems.at(match.value("host"), "bad host '" + host + "': " + problem);
            }
        }
        String pathPrefix = match.text("path_prefix", null);
        if (pathPrefix != null && (!pathPrefix.startsWith("/") || ConfigSyntax.hasSpaceOrControl(pathPrefix))) {
            problems.at(match.value("path_prefix"), "bad path_prefix '" + pathPrefix
                    + "': expected a path that starts with '/' and has no spaces");
        }
        String method = match.text("method", null);
        if (method != null && !(ConfigValues.isToken(method) && method.equals(method.toUpperCase(Locale.ROOT)))) {
            problems.at(match.value("method"), "bad method '" + method
                    + "': expected an HTTP method in upper case, such as GET");
        }
        Map<String, String> headers = match.has("headers") ? headers(match.value("headers"), match.where()) : Map.of();
        return new RouteMatch(host, pathPrefix, method, headers);
    }

    /** Why {@code host} (lower case) is not a host name or {@code *.suffix}, or {@code null} when it is one. */
    static String hostPatternProblem(String host) {
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (name.indexOf('*') >= 0) {
            return "only a leading wildcard is allowed, as in *.example.com";
        }
        if (!ConfigSyntax.isHostName(name)) {
            return "expected a host name such as api.example.com, or *.example.com for its subdomains"
                    + " (without a port)";
        }
        return null;
    }

    private Map<String, String> headers(ConfigNode node, String where) {
        if (node.kind() != ConfigNode.Kind.MAP) {
            problems.at(node, "'headers' " + where + " must be a mapping of header names to values, found "
                    + MappingReader.describe(node));
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, ConfigNode> firstKeys = new HashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.fields().entrySet()) {
            ConfigNode keyNode = node.keyNode(e.getKey());
            String name = e.getKey().toLowerCase(Locale.ROOT);
            ConfigNode value = e.getValue();
            if (!ConfigValues.isToken(e.getKey())) {
                problems.at(keyNode, "bad header name '" + e.getKey() + "': expected an HTTP token"
                        + " (letters, digits and !#$%&'*+-.^_`|~)");
            } else if (firstKeys.putIfAbsent(name, keyNode) != null) {
                ConfigNode first = firstKeys.get(name);
                problems.at(keyNode, "duplicate header '" + e.getKey() + "': header names ignore case (first at line "
                        + first.line() + ", column " + first.column() + ")");
            } else if (value.kind() != ConfigNode.Kind.SCALAR) {
                problems.at(value, "the value of header '" + e.getKey() + "' must be a single value, found "
                        + MappingReader.describe(value));
            } else if (ConfigSyntax.hasControl(value.text())) {
                problems.at(value, "the value of header '" + e.getKey() + "' must not contain control characters");
            } else {
                headers.put(name, value.text());
            }
        }
        return headers;
    }
}
