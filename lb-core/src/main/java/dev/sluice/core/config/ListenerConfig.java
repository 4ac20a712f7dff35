package dev.sluice.core.config;

import java.util.List;

/** One entry of {@code listeners:}. Routes are tried in order; the first match wins. */
public record ListenerConfig(String name, HostPort bind, ListenerLimits limits, List<RouteConfig> routes) {

    public ListenerConfig {
        routes = List.copyOf(routes);
    }
}
