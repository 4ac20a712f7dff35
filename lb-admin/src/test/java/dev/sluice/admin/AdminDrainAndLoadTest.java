package dev.sluice.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DELETE waits for in-flight requests; changes and reloads under client load drop nothing. */
class AdminDrainAndLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void shouldAnswerDeleteOnlyAfterInFlightRequestsFinish() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestBackend slow = closer.use(TestBackend.withResponder("slow", (req, ctx) -> {
            arrived.countDown();
            CompletableFuture.runAsync(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, "slow"));
            });
        }));
        AdminFixture sluice = closer.use(AdminFixture.start(dir, AdminFixture.yaml(dir.resolve("state"), "", "round_robin", slow.address().toString())));
        CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(() -> call(() -> sluice.proxy("/")));
        assertTrue(arrived.await(10, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> delete = CompletableFuture.supplyAsync(
                () -> call(() -> sluice.admin("DELETE", "/api/v1/clusters/web/backends/" + slow.address())));
        while (JSON.readTree(sluice.admin("GET", "/api/v1/clusters/web").body()).get("backends").size() != 0) {
            assertFalse(delete.isDone(), "DELETE ended before removing the backend: " + (delete.isDone() ? delete.join().body() : ""));
        }
        assertFalse(delete.isDone(), "DELETE must wait for the request in flight");
        release.countDown();
        assertEquals(200, request.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(204, delete.get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void shouldServeEveryRequestWhileBackendsChangeAndConfigReloads() throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        TestBackend b = closer.use(TestBackend.named("b"));
        AdminFixture sluice = closer.use(AdminFixture.start(dir, AdminFixture.yaml(dir.resolve("state"), "", "round_robin", a.address().toString())));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong non2xx = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        int status = sluice.proxy("/").statusCode();
                        (status / 100 == 2 ? ok : non2xx).incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }, "load-" + i);
            t.start();
            clients.add(t);
        }
        String backendB = "/api/v1/clusters/web/backends/" + b.address();
        for (int round = 0; round < 20; round++) {
            assertEquals(201, sluice.admin("POST", "/api/v1/clusters/web/backends", "{\"address\":\"" + b.address() + "\"}").statusCode());
            assertEquals(200, sluice.admin("POST", "/api/v1/reload").statusCode());
            assertEquals(200, sluice.admin("PATCH", backendB, "{\"weight\":3}").statusCode());
            assertEquals(204, sluice.admin("DELETE", backendB).statusCode());
        }
        running.set(false);
        for (Thread t : clients) {
            t.join(30_000);
        }
        System.out.printf("load during 20 x (add, reload, patch, delete): %d ok, %d non-2xx, %d socket errors%n",
                ok.get(), non2xx.get(), errors.get());
        assertTrue(ok.get() > 0);
        assertEquals(0, non2xx.get(), "non-2xx answers");
        assertEquals(0, errors.get(), "socket errors");
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
