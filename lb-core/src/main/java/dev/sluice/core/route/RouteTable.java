package dev.sluice.core.route;

import dev.sluice.core.config.RouteConfig;
import dev.sluice.core.config.RouteMatch;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A listener's routes compiled for matching: first match wins. Immutable and shared by all event loops.
 *
 * <p>{@link #match} does not allocate: hosts are compared in place, case-insensitively, with the port
 * ignored; the path prefix is compared against the request-target up to its query.
 *
 * @param <T> what a route resolves to (the cluster's runtime object, so matching needs no map lookup)
 */
public final class RouteTable<T> {

    private final CompiledRoute<T>[] routes;

    private RouteTable(CompiledRoute<T>[] routes) {
        this.routes = routes;
    }

    /**
     * Compiles routes in order.
     *
     * @param resolve maps a cluster name to its target; must not return {@code null} (config validation
     *                guarantees every route names a known cluster)
     */
    @SuppressWarnings("unchecked")
    public static <T> RouteTable<T> compile(List<RouteConfig> configs, Function<String, T> resolve) {
        CompiledRoute<T>[] compiled = new CompiledRoute[configs.size()];
        for (int i = 0; i < compiled.length; i++) {
            RouteConfig rc = configs.get(i);
            T target = resolve.apply(rc.cluster());
            if (target == null) {
                throw new IllegalArgumentException("route " + i + " names unknown cluster '" + rc.cluster() + "'");
            }
            compiled[i] = new CompiledRoute<>(rc.match() == null ? RouteMatch.any() : rc.match(), target);
        }
        return new RouteTable<>(compiled);
    }

    /** The target of the first route matching {@code request}, or {@code null} when none does. */
    public T match(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        String uri = request.uri();
        for (CompiledRoute<T> route : routes) {
            if (route.matches(request, host, uri)) {
                return route.target;
            }
        }
        return null;
    }

    public int size() {
        return routes.length;
    }

    private static final class CompiledRoute<T> {
        private final String host;          // lower case, null = any
        private final boolean hostSuffix;   // host was "*.suffix": holds ".suffix"
        private final String pathPrefix;
        private final String method;
        private final String[] headerNames;
        private final String[] headerValues;
        private final T target;

        CompiledRoute(RouteMatch m, T target) {
            String h = m.host();
            if (h != null && h.startsWith("*.")) {
                this.host = h.substring(1).toLowerCase(java.util.Locale.ROOT);
                this.hostSuffix = true;
            } else {
                this.host = h == null ? null : h.toLowerCase(java.util.Locale.ROOT);
                this.hostSuffix = false;
            }
            this.pathPrefix = m.pathPrefix();
            this.method = m.method();
            Map<String, String> headers = m.headers();
            this.headerNames = headers.keySet().toArray(new String[0]);
            this.headerValues = new String[headerNames.length];
            for (int i = 0; i < headerNames.length; i++) {
                headerValues[i] = headers.get(headerNames[i]);
            }
            this.target = target;
        }

        boolean matches(HttpRequest request, String requestHost, String uri) {
            if (method != null && !method.equals(request.method().name())) {
                return false;
            }
            if (pathPrefix != null && !pathMatches(uri)) {
                return false;
            }
            if (host != null && !hostMatches(requestHost)) {
                return false;
            }
            for (int i = 0; i < headerNames.length; i++) {
                String value = request.headers().get(headerNames[i]);
                if (value == null || !value.equals(headerValues[i])) {
                    return false;
                }
            }
            return true;
        }

        private boolean pathMatches(String uri) {
            // Origin-form "/a/b?q"; absolute-form requests are normalised to origin-form before routing.
            if (uri.length() < pathPrefix.length()) {
                return false;
            }
            if (!uri.startsWith(pathPrefix)) {
                return false;
            }
            int q = uri.indexOf('?');
            return q < 0 || q >= pathPrefix.length();
        }

        private boolean hostMatches(String requestHost) {
            if (requestHost == null) {
                return false;
            }
            int end = hostEnd(requestHost);
            if (hostSuffix) {
                // "*.example.com" matches "a.example.com" but not "example.com" itself.
                int start = end - host.length();
                return start > 0 && requestHost.regionMatches(true, start, host, 0, host.length());
            }
            return end == host.length() && requestHost.regionMatches(true, 0, host, 0, end);
        }

        /** Length of the host without its port; understands "[v6]:port". */
        private static int hostEnd(String h) {
            if (!h.isEmpty() && h.charAt(0) == '[') {
                int close = h.indexOf(']');
                return close < 0 ? h.length() : close + 1;
            }
            int colon = h.lastIndexOf(':');
            return colon < 0 ? h.length() : colon;
        }
    }
}
