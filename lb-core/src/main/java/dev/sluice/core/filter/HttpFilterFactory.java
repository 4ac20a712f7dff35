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

    /** Releases resources (files, stores) when a reload replaces this factory or Sluice stops. */
    @Override
    default void close() {
    }
}
