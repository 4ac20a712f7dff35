package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.testing.RawHttpClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client threads sending GETs back to back over keep-alive connections until stopped, counting answers: a
 * 200 is a success; any other status, a closed connection or a read timeout is a client-visible error (the
 * thread then reconnects).
 */
final class GetLoad implements AutoCloseable {

    private final InetSocketAddress proxy;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    private GetLoad(InetSocketAddress proxy) {
        this.proxy = proxy;
    }

    static GetLoad start(InetSocketAddress proxy, int clients) {
        GetLoad load = new GetLoad(proxy);
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(load::run, "get-load-" + i);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    private void run() {
        RawHttpClient client = null;
        while (running) {
            try {
                if (client == null) {
                    client = new RawHttpClient(proxy, 5_000);
                }
                RawHttpClient.Response r = client.get("/load");
                if (r.status() == 200) {
                    ok.incrementAndGet();
                } else {
                    error(r.status() + " " + r.bodyText());
                }
            } catch (IOException | RuntimeException e) {
                error(e.toString());
                client = closeQuietly(client);
            }
        }
        closeQuietly(client);
    }

    private void error(String what) {
        if (running) {
            errors.incrementAndGet();
            if (errorSamples.size() < 10) {
                errorSamples.add(what);
            }
        }
    }

    private static RawHttpClient closeQuietly(RawHttpClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // The socket is being discarded after an error that was already counted.
                return null;
            }
        }
        return null;
    }

    long ok() {
        return ok.get();
    }

    long errors() {
        return errors.get();
    }

    List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    /** Waits until {@code more} further successes were counted. */
    void awaitMoreSuccesses(long more) {
        long target = ok() + more;
        Await.until(more + " more successful GETs", () -> ok() >= target);
    }

    /** Stops the clients and waits for them; errors seen while stopping are not counted. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
