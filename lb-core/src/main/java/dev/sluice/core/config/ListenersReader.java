package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code listeners:} section: names (required, unique), bind addresses (required, not colliding),
 * limits with the defaults of {@link ListenerLimits#defaults()}, and routes (see {@link RouteReader}).
 * Confined to the thread reading the config; problems go to the shared {@link ConfigProblems}.
 */
final class ListenersReader {

    static final List<String> LISTENER_KEYS = List.of("name", "bind", "limits", "routes");
    static final List<String> LIMIT_KEYS = List.of("max_request_line", "max_header_bytes", "max_headers",
            "max_connections", "max_connections_per_ip", "request_header_timeout", "body_read_timeout", "idle_timeout");

    private final ConfigProblems problems;
    private final BindConflicts binds;
    private final RouteReader routes;
    private final Map<String, ConfigNode> names = new HashMap<>();

    /**
     * @param clusterNames the clusters routes may name, in file order (for messages)
     */
    ListenersReader(ConfigProblems problems, BindConflicts binds, List<String> clusterNames) {
        this.problems = problems;
        this.binds = binds;
        this.routes = new RouteReader(problems, clusterNames);
    }

    /** Reads every listener that is a mapping; entries that are not are reported and skipped. */
    List<ListenerConfig> read(List<ConfigNode> items) {
        List<ListenerConfig> listeners = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ListenerConfig listener = listener(items.get(i), i + 1);
            if (listener != null) {
                listeners.add(listener);
            }
        }
        return listeners;
    }

    private ListenerConfig listener(ConfigNode item, int index) {
        String peeked = MappingReader.peekText(item, "name");
        String label = peeked == null || peeked.isBlank() ? "listener " + index : "listener '" + peeked + "'";
        MappingReader section = MappingReader.of(item, "listener " + index, "in " + label, problems, LISTENER_KEYS);
        if (section == null) {
            return null;
        }
        String name = section.requiredText("name");
        if (name != null) {
            checkName(section, name);
        }
        HostPort bind = null;
        if (section.has("bind")) {
            bind = RuntimeReader.address(section, "bind", null);
            if (bind != null) {
                binds.claim(label, bind, section.value("bind"));
            }
        } else {
            section.requiredText("bind");
        }
        ListenerLimits limits = limits(section.mapping("limits", "in the limits of " + label, LIMIT_KEYS));
        List<ConfigNode> routeItems = section.list("routes");
        List<RouteConfig> routeList = routeItems == null ? List.of() : routes.read(routeItems, label);
        if (name == null || bind == null) {
            return null;
        }
        return new ListenerConfig(name, bind, limits, routeList);
    }

    private void checkName(MappingReader section, String name) {
        ConfigNode at = section.value("name");
        if (!ConfigSyntax.isPlainName(name)) {
            problems.at(at, "bad listener name '" + name + "': " + ConfigSyntax.NAME_RULE);
            return;
        }
        ConfigNode first = names.putIfAbsent(name, at);
        if (first != null) {
            problems.at(at, "duplicate listener name '" + name + "' (first at line " + first.line() + ", column "
                    + first.column() + ")");
        }
    }

    private static ListenerLimits limits(MappingReader section) {
        ListenerLimits d = ListenerLimits.defaults();
        if (section == null) {
            return d;
        }
        return new ListenerLimits(
                section.intSize("max_request_line", d.maxRequestLine()),
                section.intSize("max_header_bytes", d.maxHeaderBytes()),
                section.intNumber("max_headers", d.maxHeaders(), 1, Integer.MAX_VALUE),
                section.intNumber("max_connections", d.maxConnections(), 1, Integer.MAX_VALUE),
                section.intNumber("max_connections_per_ip", d.maxConnectionsPerIp(), 1, Integer.MAX_VALUE),
                section.duration("request_header_timeout", d.requestHeaderTimeout(), true),
                section.duration("body_read_timeout", d.bodyReadTimeout(), true),
                section.duration("idle_timeout", d.idleTimeout(), true));
    }
}
