package dev.sluice.admin;

import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code sluice} command as a user runs it: a separate JVM started with {@code run --config}, serving
 * through a real backend, then stopped with SIGTERM while a request is in flight.
 */
class LauncherProcessTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Process process;
    private BufferedReader output;

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", Launcher.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        output = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return p;
    }

    /** Reads the process output until a line contains {@code marker}; bounded by the process's own life. */
    private void awaitLine(Process p, String marker, List<String> seen) throws IOException {
        String line;
        while ((line = output.readLine()) != null) {
            seen.add(line);
            if (line.contains(marker)) {
                return;
            }
        }
        throw new AssertionError("process ended before printing '" + marker + "': " + seen);
    }

    @Test
    void shouldDrainInFlightRequestsAndExitZeroOnSigterm(@TempDir Path dir) throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        TestBackend backend = TestBackend.withResponder("b", (req, ctx) -> {
            arrived.countDown();
            CompletableFuture.runAsync(() -> {
                try {
                    stopped.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "finished"));
            });
        });
        resources.add(backend);
        int port = freePort();
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                runtime: { workers: 2, drain_timeout: 20s, state_dir: %s }
                admin: { bind: 127.0.0.1:0 }
                listeners:
                  - name: main
                    bind: 127.0.0.1:%d
                    routes: [ { match: { path_prefix: / }, cluster: web } ]
                clusters:
                  - name: web
                    backends: [ { address: %s } ]
                """.formatted(dir.resolve("state"), port, backend.address()));
        process = start("run", "--config", config.toString());
        List<String> output = new ArrayList<>();
        awaitLine(process, "serving http://", output);

        RawHttpClient client = new RawHttpClient(new InetSocketAddress("127.0.0.1", port), 20_000);
        resources.add(client);
        client.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(arrived.await(10, TimeUnit.SECONDS), "request reached the backend");

        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        awaitLine(process, "draining", output);
        stopped.countDown();
        RawHttpClient.Response r = client.readResponse(false);
        assertEquals(200, r.status(), "the in-flight request completes during the drain");
        assertEquals("finished", r.bodyText());
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after the drain");
        assertEquals(0, process.exitValue(), "a drained stop exits 0: " + output);
    }

    @Test
    void shouldExitTwoWithFileLineColumnForAnInvalidConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                listeners:
                  - name: main
                    bind: 127.0.0.1:8080
                    routes: [ { cluster: nowhere } ]
                clusters:
                  - name: web
                    balancr: round_robin
                    backends: [ { address: 127.0.0.1:9001 } ]
                """);
        process = start("validate", "--config", config.toString());
        String out = String.join("\n", output.lines().toList());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), out);
        assertTrue(out.contains(config + ":4:"), out);
        assertTrue(out.contains(config + ":7:5: unknown key 'balancr'"), out);
    }

    @Test
    void shouldExitZeroForAValidConfigAndListTransportsInVersion(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("ok.yaml");
        Files.writeString(config, """
                listeners:
                  - name: main
                    bind: 127.0.0.1:8080
                    routes: [ { cluster: web } ]
                clusters:
                  - name: web
                    backends: [ { address: 127.0.0.1:9001 } ]
                """);
        assertEquals(0, Launcher.execute("validate", "--config", config.toString()));
        process = start("version");
        String out = String.join("\n", output.lines().toList());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        assertTrue(out.contains("transports: io_uring"), out);
        assertTrue(out.contains("nio"), out);
    }

    @Test
    void shouldRunOnAForcedTransportAndStopCleanlyOnAnEarlySigterm(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("t.yaml");
        Files.writeString(config, """
                runtime: { transport: io_uring }
                listeners:
                  - name: main
                    bind: 127.0.0.1:0
                    routes: [ { cluster: web } ]
                clusters:
                  - name: web
                    backends: [ { address: 127.0.0.1:9001 } ]
                """);
        // io_uring is available here, so the forced transport starts: prove the flag reaches the data plane.
        process = start("run", "--config", config.toString());
        List<String> output = new ArrayList<>();
        awaitLine(process, "Sluice data plane on io_uring", output);
        process.toHandle().destroy();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
    }
}
