package dev.sluice.core.proxy;

import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.filter.HttpFilterFactory;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The filter factories of one config version, in ascending order. Immutable; each event loop asks it once
 * per version for its own filter instances. An empty chain makes an empty array: the data plane then skips
 * every filter call with one length check.
 */
final class FilterChain {

    static final FilterChain EMPTY = new FilterChain(List.of());
    private static final HttpFilter[] NONE = new HttpFilter[0];

    private final List<HttpFilterFactory> factories;

    FilterChain(List<HttpFilterFactory> factories) {
        List<HttpFilterFactory> sorted = new ArrayList<>(factories);
        sorted.sort(Comparator.comparingInt(HttpFilterFactory::order));
        this.factories = List.copyOf(sorted);
    }

    List<HttpFilterFactory> factories() {
        return factories;
    }

    /** This loop's filter instances, in order. Call on {@code loop}. */
    HttpFilter[] newFilters(EventLoop loop) {
        if (factories.isEmpty()) {
            return NONE;
        }
        HttpFilter[] filters = new HttpFilter[factories.size()];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = factories.get(i).newFilter(loop);
        }
        return filters;
    }

    /** Releases every factory's resources (the chain was replaced or Sluice stopped). */
    void close() {
        for (HttpFilterFactory f : factories) {
            f.close();
        }
    }
}
