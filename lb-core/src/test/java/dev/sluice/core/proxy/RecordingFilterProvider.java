package dev.sluice.core.proxy;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.filter.FilterContext;
import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.core.filter.HttpFilterProvider;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A filter module for tests, owning the {@code test_filter:} section (registered in the test resources'
 * {@code META-INF/services}). Its filter answers 403 itself for {@code x-deny: 1}, sends {@code x-route: NAME}
 * to cluster NAME, remembers each request's path as its attachment and echoes it in {@code x-filter-saw} on the
 * response, echoes {@link FilterContext#requestStartNanos} as the request stage and the response stage saw it in
 * {@code x-filter-start-request} and {@code x-filter-start-response}, and counts completed exchanges, filters made
 * and factories closed.
 */
public final class RecordingFilterProvider implements HttpFilterProvider {

    static final String SECTION = "test_filter";
    static final AtomicInteger COMPLETED = new AtomicInteger();
    static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Factories closed (by a reload that replaced them, or by the server's close). */
    static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public String section() {
        return SECTION;
    }

    @Override
    public List<ConfigError> validate(ConfigNode section, SluiceConfig config) {
        return List.of();
    }

    @Override
    public HttpFilterFactory create(ConfigNode section, SluiceConfig config) {
        return new HttpFilterFactory() {
            @Override
            public int order() {
                return 10;
            }

            @Override
            public HttpFilter newFilter(EventLoop loop) {
                INSTANCES.incrementAndGet();
                return new RecordingFilter();
            }

            @Override
            public void close() {
                CLOSED.incrementAndGet();
            }
        };
    }

    /** What the request stage saw, as the exchange's attachment. */
    private record Seen(String uri, long startNanos) {
    }

    private static final class RecordingFilter implements HttpFilter {
        @Override
        public FilterResult onRequestHead(FilterContext ctx, HttpRequest head) {
            ctx.setAttachment(new Seen(head.uri(), ctx.requestStartNanos()));
            if ("1".equals(head.headers().get("x-deny"))) {
                HttpHeaders extra = new DefaultHttpHeaders().add("x-denied-by", "test_filter");
                ctx.respond(HttpResponseStatus.FORBIDDEN, extra, "{\"error\":\"denied\"}");
                return FilterResult.RESPONDED;
            }
            String route = head.headers().get("x-route");
            if (route != null) {
                ctx.routeTo(route);
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public void onResponseHead(FilterContext ctx, HttpResponse head) {
            Seen seen = (Seen) ctx.attachment();
            head.headers().set("x-filter-saw", seen.uri());
            head.headers().set("x-filter-start-request", seen.startNanos());
            head.headers().set("x-filter-start-response", ctx.requestStartNanos());
        }

        @Override
        public void onComplete(FilterContext ctx) {
            COMPLETED.incrementAndGet();
        }
    }
}
