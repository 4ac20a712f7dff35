package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Decoding one well-formed request (a browser-like GET head, or a small chunked POST) with Sluice's strict
 * request decoder against the Netty decoder it wraps, to show what the grammar scan costs on the hot path, and
 * what the bodiless fast path saves ({@code strict} builds the GET itself, {@code strict_netty_path} hands every
 * head to Netty after the scan). Run with {@code -prof gc}: the strict decoder must allocate no more per request
 * than Netty's.
 *
 * <p>In the proxy's package (not {@code dev.sluice.bench}) because the decoder is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RequestDecodeBenchmark {

    private static final String GET = "GET /static/app.js?v=42 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Referer: https://www.example.com/\r\n"
            + "Cookie: session=0123456789abcdef; theme=dark\r\n"
            + "Connection: keep-alive\r\n"
            + "Cache-Control: max-age=0\r\n\r\n";
    private static final String CHUNKED_POST = "POST /api/items HTTP/1.1\r\nHost: api.example.com\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "10\r\n{\"name\":\"widget\"\r\n2;ext=1\r\n}\n\r\n0\r\n\r\n";

    @Param({"get", "chunked_post"})
    public String request;

    @Param({"strict", "strict_netty_path", "netty"})
    public String codec;

    private EmbeddedChannel channel;
    private ByteBuf bytes;

    @Setup
    public void setUp() {
        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(65536)
                .setMaxChunkSize(65536).setStrictLineParsing(true);
        channel = new EmbeddedChannel(switch (codec) {
            case "strict" -> new StrictRequestDecoder(config, 100, new HeadRequestQueue());
            case "strict_netty_path" -> new StrictRequestDecoder(config, 100, new HeadRequestQueue(), false);
            default -> new HttpRequestDecoder(config);
        });
        String raw = request.equals("get") ? GET : CHUNKED_POST;
        bytes = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int decode() {
        channel.writeInbound(bytes.duplicate());
        int parts = 0;
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(msg);
            parts++;
        }
        return parts;
    }
}
