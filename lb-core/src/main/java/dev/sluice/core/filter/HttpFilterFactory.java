package dev.sluice.core.filter;

import io.netty.channel.EventLoop;

/**
 * Makes one {@link HttpFilter} per event loop. Immutable; built off the loops from a config section.
 * Filters run in ascending {@link #order()}.
 */
public interface HttpFilterFactory extends AutoCloseable {

    int order();

    /** Called once per loop per config version, on that loop. */
    HttpFilter newFilter(EventLoop loop);

    /** Admin API routes this module serves; none by default. */
    default java.util.List<AdminEndpoint> adminEndpoints() {
        return java.util.List.of();
    }

    /**
     * Appends this module's metrics in the Prometheus text format (with HELP and TYPE lines) for
     * {@code GET /metrics}. Called on the admin thread; must not block event loops.
     */
    default void writeMetrics(StringBuilder out) {
    }

    /** Releases resources (files, stores) when a reload replaces this factory or Sluice stops. */
    @Override
    default void close() {
    }
}
