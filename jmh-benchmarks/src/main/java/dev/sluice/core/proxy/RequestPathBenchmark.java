package dev.sluice.core.proxy;

import dev.sluice.bench.FastThreadLocalThreadPool;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.AdminConfig;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.ListenerConfig;
import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.RouteConfig;
import dev.sluice.core.config.RouteMatch;
import dev.sluice.core.config.RuntimeConfig;
import dev.sluice.core.config.SluiceConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One whole keep-alive exchange through the real proxy pipeline: client bytes are decoded by the frontend
 * pipeline that {@link FrontendInitializer} builds (byte counter, strict codec, flow control,
 * {@link FrontendHandler}), routed, balanced (round robin over two backends) and written to a pooled upstream
 * connection through its {@link UpstreamRequestEncoder}; the backend's response bytes are then fed to that upstream
 * connection, read in place by its {@link ResponseReader} and relayed to the client. Both connections are
 * {@link EmbeddedChannel}s, so the benchmark measures Sluice's per-request work and Netty's codecs without sockets
 * or syscalls.
 *
 * <p>Every operation brings its bytes in pooled direct buffers, as a socket read would, and releases every
 * buffer the proxy writes, so a leak or a steady-state allocation shows up in {@code -prof gc}
 * ({@code gc.alloc.rate.norm}, bytes per exchange).
 *
 * <p>JMH's threads come from {@link FastThreadLocalThreadPool}: the proxy runs on event-loop threads, where Netty
 * recycles buffer wrappers and keeps allocator caches, and on a plain thread the benchmark would report Netty's
 * fallback allocations instead of the proxy's.
 *
 * <p>The upstream connections sit in the worker's pools before the first operation, so every exchange takes
 * the keep-alive reuse path: the steady state of a busy proxy. A {@link ProxyServer} with one NIO loop is
 * started only to own the published clusters and filters the {@link Worker} reads; it carries no traffic.
 *
 * <p>The path is long and deeply nested, so the JIT needs a few hundred thousand exchanges (several seconds on two
 * cores) before the time per exchange settles; the warm-up below allows for that, and the short profile of
 * {@code scripts/jmh.sh} does not: its bytes per exchange hold, its times do not.
 *
 * <p>In the proxy's package (not {@code dev.sluice.bench}) because the pipeline stages are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {FastThreadLocalThreadPool.EXECUTOR, FastThreadLocalThreadPool.EXECUTOR_CLASS,
    RequestPathBenchmark.LAUNCHER_LEAK_SAMPLING})
public class RequestPathBenchmark {

    /**
     * Netty's leak detector samples buffers as the launchers set it (one in 4,096): at Netty's default of one in
     * 128, the stack traces it records for sampled buffers were nearly all of the bytes per exchange left.
     */
    static final String LAUNCHER_LEAK_SAMPLING = "-Dio.netty.leakDetection.samplingInterval=4096";

    private static final String GET = "GET /static/app.js?v=42 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: bench/1.0\r\n"
            + "Accept: */*\r\n\r\n";
    /** What a browser sends: more and longer fields, so per-field costs show. */
    private static final String BROWSER = "GET /account/orders?page=2 HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-GB,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Referer: https://shop.example.com/account\r\n"
            + "Cookie: session=5f0c2a9e1b7d4c3a8e6f1d2c3b4a5968; theme=dark; consent=1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n\r\n";
    /** The same with the {@code Connection: keep-alive} that browsers add on HTTP/1.1. */
    private static final String BROWSER_KEEP_ALIVE = BROWSER.replace("Host: shop.example.com\r\n",
            "Host: shop.example.com\r\nConnection: keep-alive\r\n");
    private static final String POST = "POST /api/items HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 17\r\n\r\n"
            + "{\"name\":\"widget\"}";
    /** The same body in chunked framing, as a client streaming an upload of unknown length sends it. */
    private static final String CHUNKED_POST = "POST /api/items HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "Content-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + "11\r\n{\"name\":\"widget\"}\r\n"
            + "0\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 5\r\n\r\n"
            + "hello";
    private static final int BACKENDS = 2;

    @Param({"get", "post", "chunkedPost", "browser", "browserKeepAlive"})
    public String request;

    private ProxyServer server;
    private EmbeddedChannel client;
    private final EmbeddedChannel[] backends = new EmbeddedChannel[BACKENDS];
    private byte[] requestBytes;
    private byte[] responseBytes;

    @Setup
    public void setUp() {
        server = ProxyServer.start(config());
        ListenerRuntime listener = server.listeners().get(0);
        ClusterRuntime clusterRuntime = server.cluster("c");
        client = new ClientChannel();
        client.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        Worker worker = new Worker(client.eventLoop(), server.transport(), server);
        LoopCluster cluster = worker.cluster(clusterRuntime);
        cluster.refresh();
        for (int i = 0; i < BACKENDS; i++) {
            UpstreamPool pool = cluster.pool(i);
            UpstreamHandler upstream = new UpstreamHandler(pool, 64 * 1024);
            backends[i] = new EmbeddedChannel(upstream);
            backends[i].config().setAllocator(PooledByteBufAllocator.DEFAULT);
            pool.release(upstream, System.nanoTime());
        }
        client.pipeline().addLast(new FrontendInitializer(worker, listener));
        client.pipeline().fireChannelActive(); // the initializer ran after the channel became active
        requestBytes = (switch (request) {
            case "get" -> GET;
            case "post" -> POST;
            case "chunkedPost" -> CHUNKED_POST;
            case "browser" -> BROWSER;
            case "browserKeepAlive" -> BROWSER_KEEP_ALIVE;
            default -> throw new IllegalArgumentException("unknown request " + request);
        }).getBytes(StandardCharsets.US_ASCII);
        responseBytes = RESPONSE.getBytes(StandardCharsets.US_ASCII);
        // One checked exchange per backend, so a broken pipeline fails the run instead of timing nothing.
        for (int i = 0; i < BACKENDS; i++) {
            if (exchange() != RESPONSE.length()) {
                throw new IllegalStateException("the proxy did not relay the backend's response");
            }
        }
    }

    @TearDown
    public void tearDown() {
        client.finishAndReleaseAll();
        for (EmbeddedChannel b : backends) {
            b.finishAndReleaseAll();
        }
        server.close();
    }

    /**
     * One exchange: the request in, the upstream's request out, the response in, the client's response out.
     *
     * @return the bytes the client received
     */
    @Benchmark
    public int exchange() {
        read(client, pooledCopy(requestBytes));
        EmbeddedChannel backend = null;
        for (EmbeddedChannel b : backends) {
            if (!b.outboundMessages().isEmpty()) {
                backend = b;
            }
        }
        if (backend == null) {
            throw new IllegalStateException("no request reached a backend");
        }
        releaseAll(backend);
        read(backend, pooledCopy(responseBytes));
        return releaseAll(client);
    }

    /**
     * One socket read as a transport delivers it: the bytes, then the end of the read. What
     * {@code writeInbound} does, without the varargs array it allocates per call, which would count against the
     * proxy.
     */
    private static void read(EmbeddedChannel channel, ByteBuf bytes) {
        channel.pipeline().fireChannelRead(bytes);
        channel.pipeline().fireChannelReadComplete();
        channel.runPendingTasks();
        channel.checkException();
    }

    private static ByteBuf pooledCopy(byte[] bytes) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    private static int releaseAll(EmbeddedChannel channel) {
        int bytes = 0;
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                bytes += buf.readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }
        return bytes;
    }

    private static SluiceConfig config() {
        RuntimeConfig runtime = new RuntimeConfig(1, "nio", Duration.ofSeconds(1), Path.of("target/bench-state"));
        RouteConfig route = new RouteConfig(new RouteMatch(null, "/", null, Map.of()), "c");
        ListenerConfig listener = new ListenerConfig("bench", new HostPort("127.0.0.1", 0), ListenerLimits.defaults(),
                List.of(route));
        // Never connected: the benchmark's upstream connections are embedded channels already in the pools.
        ClusterConfig cluster = ClusterConfig.simple("c", "round_robin", List.of(
                new BackendConfig(new HostPort("127.0.0.1", 9), 1),
                new BackendConfig(new HostPort("127.0.0.2", 9), 1)));
        return new SluiceConfig(null, runtime, AdminConfig.defaults(), List.of(listener), List.of(cluster), Map.of());
    }

    /** An embedded client connection with a socket address, as the frontend reads the client's IP from it. */
    private static final class ClientChannel extends EmbeddedChannel {
        private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 40000);

        ClientChannel() {
            super();
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? REMOTE : null;
        }
    }
}
