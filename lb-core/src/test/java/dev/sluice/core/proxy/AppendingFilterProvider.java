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
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A filter module for tests, owning the {@code test_append_filter:} section: its filter only sets response
 * fields ({@code readsResponseHead() == false}). It sets {@code x-appended} to the request's path,
 * {@code x-thing: from-filter}, and every framing and hop-by-hop name the proxy owns, with values that would
 * break the response if they were written. It runs before {@link RecordingFilterProvider}'s filter (order 5),
 * so it also sees the local replies that filter makes.
 */
public final class AppendingFilterProvider implements HttpFilterProvider {

    static final String SECTION = "test_append_filter";
    /** Calls of {@code onResponseHead}, which the proxy must never make for this filter. */
    static final AtomicInteger ON_RESPONSE_HEAD_CALLS = new AtomicInteger();

    /** The framing and hop-by-hop fields the filter sets, as name and value. */
    static final List<String[]> PROXY_OWNED = List.of(
            new String[] {"Content-Length", "999"}, new String[] {"transfer-encoding", "gzip"},
            new String[] {"CONNECTION", "upgrade"}, new String[] {"Keep-Alive", "timeout=1"},
            new String[] {"Proxy-Connection", "close"}, new String[] {"TE", "trailers"},
            new String[] {"Trailer", "x-late"}, new String[] {"Upgrade", "h2c"});

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
                return 5;
            }

            @Override
            public HttpFilter newFilter(EventLoop loop) {
                return new AppendingFilter();
            }
        };
    }

    private static final class AppendingFilter implements HttpFilter {
        @Override
        public FilterResult onRequestHead(FilterContext ctx, HttpRequest head) {
            ctx.setAttachment(head.uri());
            return FilterResult.CONTINUE;
        }

        @Override
        public boolean readsResponseHead() {
            return false;
        }

        @Override
        public void onResponseHead(FilterContext ctx, HttpResponse head) {
            ON_RESPONSE_HEAD_CALLS.incrementAndGet();
        }

        @Override
        public void setResponseFields(FilterContext ctx, HttpHeaders fields) {
            fields.set("x-appended", (String) ctx.attachment());
            fields.set("x-thing", "from-filter");
            for (String[] field : PROXY_OWNED) {
                fields.set(field[0], field[1]);
            }
        }
    }
}
