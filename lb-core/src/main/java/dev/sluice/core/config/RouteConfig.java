package dev.sluice.core.config;

/** One entry of {@code listeners[].routes}: a match and the cluster that serves it. */
public record RouteConfig(RouteMatch match, String cluster) {
}
