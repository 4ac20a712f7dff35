package dev.sluice.bench.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.filter.AdminEndpoint;
import dev.sluice.core.filter.FilterContext;
import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.policy.PolicyFilterProvider;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The API policy's cost per admitted request, through the real filter as one event loop runs it:
 * {@code onRequestHead} (api match, API-key hash and constant-time lookup, token bucket, quota reservation in the
 * memory-mapped store, {@code X-Consumer}, key removed), {@code setResponseFields} ({@code RateLimit-Policy} and
 * {@code RateLimit} fields, into the empty map the proxy reuses per connection: the policy does not read response
 * heads) and {@code onComplete}. The filter comes from the {@code policy:} section through the
 * public provider, with the system clock, over a store in a temporary directory; consumers are created through
 * the admin endpoint, as operators do. Plans are large enough that nothing is ever refused: a refusal fails the
 * trial, so the figure is always the admitted path.
 *
 * <p>Each operation starts from a request head in the state the decoder delivers it: a header map that does not
 * validate (the proxy's grammar scanner checks every byte before decoding) holding the usual fields under
 * {@link AsciiString} names (the decoder's shared names), String values, the key among them (made for each request
 * from the key's bytes, as the proxy's request builder makes every value), and no
 * {@code X-Consumer} yet. The head object is reused and its map cleared and refilled, so the figure carries no
 * allocation of head objects (the decoder makes new ones; that cost is the proxy's, not the policy's), but Netty's
 * header map allocates an entry for every field added: the decoder's and the filter's ({@code X-Consumer}, and the
 * two response fields in the reused map), and each request's key String is made in both benchmarks alike.
 * {@code nettyHeadersOnly} refills the same request head and
 * makes the same field changes as an admitted request without the policy (key field removed, {@code X-Consumer}
 * set, the two response fields set in the reused map): its time and B/op are the floor that the policy's own
 * figures sit on.
 *
 * <p>Each request arrives {@value #ARRIVAL_STEP_NANOS} ns after the one before ({@code requestStartNanos()} of the
 * context: a loop serving a million requests a second), counted by the benchmark rather than read from the clock:
 * the proxy reads the clock for every request head to measure its latency whatever the filters do, so that read
 * is the proxy's cost, in neither figure. Time so spaced never empties the plan's bucket.
 *
 * <p>{@code consumers}: the keys presented round-robin. One is a client hammering one loop; 10000 distinct keys
 * in turn is the worst case for anything cached per loop.
 *
 * <p>Run with {@code -prof gc}: {@code admit} minus {@code nettyHeadersOnly} must be 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = {
        // what the memory-mapped store needs on Java 17 (the list in dev.sluice.policy's package Javadoc)
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true"})
public class PolicyFilterBenchmark {

    private static final AsciiString HOST = AsciiString.cached("Host");
    private static final AsciiString USER_AGENT = AsciiString.cached("User-Agent");
    private static final AsciiString ACCEPT = AsciiString.cached("Accept");
    private static final AsciiString ACCEPT_ENCODING = AsciiString.cached("Accept-Encoding");
    private static final AsciiString KEY_FIELD = AsciiString.cached("x-api-key");
    private static final AsciiString X_CONSUMER = AsciiString.cached("X-Consumer");
    private static final AsciiString CONSUMER_0 = AsciiString.cached("consumer-0");
    private static final AsciiString POLICY_VALUE =
            AsciiString.cached("\"rate\";q=100000000;w=1, \"quota\";q=1000000000;w=86400");
    private static final AsciiString RATELIMIT_POLICY = AsciiString.cached("RateLimit-Policy");
    private static final AsciiString RATELIMIT = AsciiString.cached("RateLimit");
    private static final String PATH = "/orders/42";
    private static final long ARRIVAL_STEP_NANOS = 1_000;
    private static final int REQUESTS_PER_ADMIN_CHANGE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A plan this benchmark cannot exhaust, with field values of a real plan's width: a bucket of 100 refilled
     * every 10 ns (one thread admits one request per 200 ns at best), and a quota larger than any run admits.
     */
    private static final String CONFIG = """
            listeners:
              - name: public
                bind: 127.0.0.1:0
                routes:
                  - match: { path_prefix: / }
                    cluster: orders
            clusters:
              - name: orders
                backends:
                  - address: 127.0.0.1:9001
            policy:
              store: %s
              plans:
                unbounded: { rate: 100000000/s, burst: 100, quota: 1000000000/day }
              apis:
                - name: orders
                  match: { path_prefix: /orders/ }
                  auth: api_key
                  key_header: x-api-key
            """;

    @Param({"1", "10000"})
    public int consumers;

    private Path store;
    private EventLoop loop;
    private HttpFilterFactory factory;
    private HttpFilter filter;
    private AdminEndpoint admin;
    /** Each consumer's key as the bytes a client sends. */
    private byte[][] keys;
    private int next;
    private int sinceAdminChange;
    private final Exchange ctx = new Exchange();
    private final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, PATH,
            DefaultHttpHeadersFactory.headersFactory().withValidation(false));
    /** The map the proxy hands {@code setResponseFields}: empty, reused, cleared once the head is written. */
    private final HttpHeaders responseFields = DefaultHttpHeadersFactory.headersFactory().withValidation(false)
            .newHeaders();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        store = Files.createTempDirectory("sluice-policy-bench");
        SluiceConfig config = ConfigLoader.parse("bench.yaml", CONFIG.formatted(store));
        factory = new PolicyFilterProvider().create(config.extensions().get("policy"), config);
        loop = new DefaultEventLoop();
        filter = factory.newFilter(loop);
        admin = factory.adminEndpoints().get(0);
        keys = new byte[consumers][];
        for (int i = 0; i < consumers; i++) {
            AdminEndpoint.AdminReply r = admin.handle("POST", "/api/v1/consumers",
                    "{\"name\":\"consumer-" + i + "\",\"plan\":\"unbounded\"}");
            if (r.status() != 201) {
                throw new IllegalStateException("creating consumer " + i + " answered " + r.status() + ": "
                        + r.jsonBody());
            }
            keys[i] = JSON.readTree(r.jsonBody()).get("key").asText().getBytes(StandardCharsets.ISO_8859_1);
        }
        AdminEndpoint.AdminReply rotating = admin.handle("POST", "/api/v1/consumers",
                "{\"name\":\"rotating\",\"plan\":\"unbounded\"}"); // whose keys admitAcrossAdminChanges adds
        if (rotating.status() != 201) {
            throw new IllegalStateException("creating the rotating consumer answered " + rotating.status());
        }
        ctx.startNanos = System.nanoTime(); // after the buckets were made full, on the same scale
        for (int i = 0; i < 2 * consumers; i++) {
            admit(); // every consumer has been seen once before measuring; a refusal shows here already
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            if (ctx.refused != 0) {
                throw new IllegalStateException(ctx.refused + " requests were refused (last: " + ctx.lastRefusal
                        + "): the figure is not the admitted path");
            }
        } finally {
            factory.close();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(store)) {
                files.sorted(Comparator.reverseOrder()).forEach(PolicyFilterBenchmark::delete);
            }
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the benchmark's store file " + p, e);
        }
    }

    /** One admitted exchange as the proxy runs the filter: request head, response fields, completion. */
    @Benchmark
    public FilterResult admit() {
        HttpRequest request = request(nextKey());
        ctx.startNanos += ARRIVAL_STEP_NANOS; // the proxy's reading for this head, without a clock read
        FilterResult r = filter.onRequestHead(ctx, request);
        if (r != FilterResult.CONTINUE) {
            ctx.refused++;
        }
        filter.setResponseFields(ctx, responseFields);
        responseFields.clear(); // as the proxy does once it wrote the head
        filter.onComplete(ctx);
        return r;
    }

    /**
     * {@code admit} while operators keep changing keys: every {@value #REQUESTS_PER_ADMIN_CHANGE} requests a key is
     * added to another consumer (as a rotation does), which publishes a new key snapshot. With 10,000 consumers
     * served in turn, every request then finds its key cached under an older snapshot and checks it again in the
     * new one. The admin call runs on the benchmark's thread between two requests, so its own cost (a store write)
     * is in the figure, spread over the requests.
     */
    @Benchmark
    public FilterResult admitAcrossAdminChanges() {
        if (++sinceAdminChange == REQUESTS_PER_ADMIN_CHANGE) {
            sinceAdminChange = 0;
            AdminEndpoint.AdminReply r = admin.handle("POST", "/api/v1/consumers/rotating/keys", "");
            if (r.status() != 201) {
                throw new IllegalStateException("adding a key answered " + r.status() + ": " + r.jsonBody());
            }
        }
        return admit();
    }

    /** The same heads and field changes as {@code admit} without the policy: Netty's share of its cost. */
    @Benchmark
    public int nettyHeadersOnly() {
        HttpHeaders h = request(nextKey()).headers();
        h.remove(KEY_FIELD);
        h.set(X_CONSUMER, CONSUMER_0);
        responseFields.set(RATELIMIT_POLICY, POLICY_VALUE);
        responseFields.set(RATELIMIT, "\"rate\";r=99;t=1, \"quota\";r=999999000;t=86400");
        int n = responseFields.size();
        responseFields.clear();
        return h.size() + n;
    }

    /**
     * The next consumer's key as a new String made from its bytes, as the proxy's request builder makes every field
     * value from the bytes it just read: the policy then reads characters that are in cache, as it does in the proxy,
     * whatever the number of consumers (a String made once per consumer and reused would be a cold object, and a
     * cold array behind it, with 10,000 consumers). Both benchmarks pay for making it.
     */
    private String nextKey() {
        byte[] key = keys[next];
        next = next + 1 == keys.length ? 0 : next + 1;
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    /** The request head as the proxy's decoder hands it to the filters (the key last, as clients tend to). */
    private HttpRequest request(String key) {
        request.setUri(PATH);
        request.headers().clear()
                .add(HOST, "api.example.com")
                .add(USER_AGENT, "bench/1.0")
                .add(ACCEPT, "application/json")
                .add(ACCEPT_ENCODING, "gzip")
                .add(KEY_FIELD, key);
        return request;
    }

    /** The proxy's side of one exchange, reduced to what the policy uses; reused like the proxy's own. */
    private static final class Exchange implements FilterContext {
        private Object attachment;
        private String cluster;
        long startNanos;
        long refused;
        String lastRefusal;

        @Override
        public InetAddress clientAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public String listenerName() {
            return "public";
        }

        @Override
        public long requestStartNanos() {
            return startNanos;
        }

        @Override
        public void respond(HttpResponseStatus status, HttpHeaders headers, String jsonBody) {
            lastRefusal = status + " " + jsonBody;
        }

        @Override
        public void routeTo(String cluster) {
            this.cluster = cluster;
        }

        @Override
        public String cluster() {
            return cluster;
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public void setAttachment(Object value) {
            attachment = value;
        }
    }
}
