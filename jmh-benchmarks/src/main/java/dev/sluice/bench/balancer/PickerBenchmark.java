package dev.sluice.bench.balancer;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.balancer.PickContext;
import dev.sluice.core.balancer.Picker;
import dev.sluice.core.balancer.PickerFactories;
import dev.sluice.core.balancer.PickerFactory;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's picker choosing a backend, as the proxy calls it per request: {@code pick} alone, and
 * {@code pickAndComplete} with the load feedback ({@code onRequestStart}/{@code onRequestEnd}) that least_request
 * and peak_ewma live on. The request carries the maglev key in a header ({@code hash_key: header:x-user}).
 * Run with {@code -prof gc}: every policy must show 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PickerBenchmark {

    private static final long LATENCY_NANOS = 1_000_000L;

    @Param({"round_robin", "random", "least_request", "peak_ewma", "maglev"})
    public String policy;

    @Param({"4", "64", "1024"})
    public int backends;

    private EventLoop loop;
    private Picker picker;
    private PickContext ctx;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        List<Backend> list = new ArrayList<>();
        List<BackendConfig> configs = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            HostPort address = new HostPort("10.1." + (i / 250) + "." + (i % 250 + 1), 8080);
            list.add(new Backend(address, InetSocketAddress.createUnresolved(address.host(), address.port()), 1,
                    BackendState.ACTIVE, true));
            configs.add(new BackendConfig(address, 1));
        }
        BackendSet set = BackendSet.of(1, list);
        ClusterConfig config = ClusterConfig.simple("bench", policy, configs).withBalancer(policy, "header:x-user");
        loop = new DefaultEventLoop();
        picker = newPicker(PickerFactories.get(policy), set, config, loop);
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items?page=2");
        request.headers().set("host", "api.example.com").set("x-user", "user-4711").set("accept", "*/*");
        ctx = new FixedContext(request, InetAddress.getByName("192.0.2.10"));
        for (int i = 0; i < 100_000; i++) {
            pickAndComplete(); // give load-aware pickers real samples before measuring
        }
    }

    private static <S> Picker newPicker(PickerFactory<S> factory, BackendSet set, ClusterConfig config, EventLoop loop) {
        return factory.newPicker(set, factory.buildShared(set, config), loop);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Benchmark
    public int pick() {
        return picker.pick(ctx, 0);
    }

    @Benchmark
    public int pickAndComplete() {
        int backend = picker.pick(ctx, 0);
        picker.onRequestStart(backend);
        picker.onRequestEnd(backend, LATENCY_NANOS, false);
        return backend;
    }

    private record FixedContext(HttpRequest request, InetAddress clientAddress) implements PickContext {
    }
}
