package dev.sluice.core.testing;

import dev.sluice.core.config.HostPort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for tests that answers every request head (requests without a body) with raw bytes exactly as
 * given, malformed or not, then keeps the connection open or closes it. It counts the connections it accepted,
 * so a test can tell whether a proxy reused a connection. One blocking thread per connection: test code only.
 */
public final class RawBackend implements AutoCloseable {

    /** What to send for each request, and whether to close the connection after it. */
    public record Reply(byte[] raw, boolean closeAfter) {
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.CompletableFuture<Void> lastServedClosed =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    private volatile Reply reply = new Reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(), false);

    public RawBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "raw-backend-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", server.getLocalPort());
    }

    public void reply(byte[] raw, boolean closeAfter) {
        this.reply = new Reply(raw, closeAfter);
    }

    /** TCP connections accepted so far. */
    public int connectionsAccepted() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "raw-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * Completes when the connection that sent the most recent reply is closed (by the proxy, or by this backend
     * after a reply that closes).
     */
    public java.util.concurrent.CompletableFuture<Void> lastServedConnectionClosed() {
        return lastServedClosed;
    }

    private void serve(Socket s) {
        java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (readHead(in)) {
                Reply r = reply;
                lastServedClosed = closed;
                out.write(r.raw());
                out.flush();
                if (r.closeAfter()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the proxy closed the connection: nothing more to serve on it
        } finally {
            closed.complete(null);
        }
    }

    /** Reads up to and including an empty line; false at end of stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        int c;
        while ((c = in.read()) != -1) {
            matched = switch (matched) {
                case 0, 2 -> c == '\r' ? matched + 1 : 0;
                case 1, 3 -> c == '\n' ? matched + 1 : (c == '\r' ? 1 : 0);
                default -> 0;
            };
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
