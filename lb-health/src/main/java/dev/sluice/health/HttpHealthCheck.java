package dev.sluice.health;

import dev.sluice.core.config.HostPort;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The {@code http} check: one connection per probe, {@code GET path} with a {@code Host} header (the configured
 * one, else the backend's address) and {@code Connection: close}. Healthy when the status is 2xx, or one of the
 * configured expected statuses when there are any. Only the status line matters: the connection is closed as
 * soon as it is read, so the body is never drained.
 *
 * <p>Immutable and stateless between probes; each probe's state is confined to the transport's loop.
 */
final class HttpHealthCheck implements HealthCheck {

    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 16384;
    private static final int MAX_CHUNK_SIZE = 8192;

    private final ProbeTransport transport;
    private final Duration timeout;
    private final String path;
    private final String host;
    private final int[] expected;

    HttpHealthCheck(ProbeTransport transport, Duration timeout, String path, String host, List<Integer> expected) {
        this.transport = transport;
        this.timeout = timeout;
        this.path = path == null || path.isEmpty() ? "/" : path;
        this.host = host == null || host.isEmpty() ? null : host;
        this.expected = expected.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Future<ProbeResult> probe(HostPort backend, InetSocketAddress address) {
        return ProbeAttempt.onLoop(transport.loop(), () -> start(backend, address));
    }

    private ProbeAttempt start(HostPort backend, InetSocketAddress address) {
        ProbeAttempt attempt = ProbeAttempt.start(transport.loop(), timeout);
        if (address == null || address.isUnresolved()) {
            attempt.complete(ProbeResult.unhealthy("address " + address + " is not resolved"));
            return attempt;
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path,
                Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, host != null ? host : backend.toString())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "Sluice-HealthCheck");
        attempt.connecting(transport.bootstrap(timeout)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
                        ch.pipeline().addLast(new StatusHandler(attempt, request));
                    }
                })
                .connect(address));
        return attempt;
    }

    private boolean isExpected(int status) {
        if (expected.length == 0) {
            return status >= 200 && status <= 299;
        }
        for (int s : expected) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }

    /** Sends the request when connected and judges the first final status line. Confined to the probe's loop. */
    private final class StatusHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final ProbeAttempt attempt;
        private final FullHttpRequest request;

        StatusHandler(ProbeAttempt attempt, FullHttpRequest request) {
            this.attempt = attempt;
            this.request = request;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            attempt.phase("waiting for the response");
            ctx.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess()) {
                    attempt.complete(ProbeResult.unhealthy("request write failed: " + ProbeAttempt.describe(f.cause())));
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            // SimpleChannelInboundHandler releases msg; content after the status line is simply dropped.
            if (!(msg instanceof HttpResponse) || attempt.isDone()) {
                return;
            }
            HttpResponse response = (HttpResponse) msg;
            if (response.decoderResult().isFailure()) {
                attempt.complete(ProbeResult.unhealthy("bad response: "
                        + ProbeAttempt.describe(response.decoderResult().cause())));
                return;
            }
            int status = response.status().code();
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL && status != 101) {
                return; // 1xx are interim; the final status follows
            }
            String cause = "HTTP " + status;
            attempt.complete(isExpected(status) ? ProbeResult.healthy(cause) : ProbeResult.unhealthy(cause));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.complete(ProbeResult.unhealthy("connection closed before a response"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.complete(ProbeResult.unhealthy("connection error: " + ProbeAttempt.describe(cause)));
        }
    }
}
