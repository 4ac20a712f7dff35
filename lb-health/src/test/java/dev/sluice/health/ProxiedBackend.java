package dev.sluice.health;

import dev.sluice.core.balancer.BackendSet;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.core.testing.TestBackend.RecordedRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A backend behind the proxy in health tests: answers {@code /healthz} with a settable status and every other
 * request with 200 and its name, unless {@link #silent} (it then accepts requests and never answers them).
 * It can be killed and restarted on its port. Thread-safe.
 */
final class ProxiedBackend implements AutoCloseable {

    static final String HEALTH_PATH = "/healthz";

    private final String name;
    private final TestBackend backend;
    private volatile int healthStatus = 200;
    private volatile boolean silent;

    ProxiedBackend(String name) {
        this.name = name;
        this.backend = TestBackend.withResponder(name, this::respond);
    }

    private void respond(RecordedRequest request, ChannelHandlerContext ctx) {
        if (request.uri().equals(HEALTH_PATH)) {
            ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.valueOf(healthStatus), "hc"));
        } else if (!silent) {
            ctx.writeAndFlush(TestBackend.text(HttpResponseStatus.OK, name));
        }
    }

    ProxiedBackend healthAnswers(int status) {
        this.healthStatus = status;
        return this;
    }

    ProxiedBackend silent(boolean neverAnswer) {
        this.silent = neverAnswer;
        return this;
    }

    void kill() {
        backend.kill();
    }

    void restart() {
        backend.restart();
    }

    TestBackend backend() {
        return backend;
    }

    HostPort address() {
        return backend.address();
    }

    /** Requests other than health checks received so far. */
    long served() {
        return backend.received().stream().filter(r -> !r.uri().equals(HEALTH_PATH)).count();
    }

    /** The backend's health as the cluster's current backend set has it (readiness may differ in panic). */
    boolean healthyIn(ClusterRuntime runtime) {
        BackendSet set = runtime.snapshot().backends();
        int i = set.indexOf(address().toString());
        return i >= 0 && set.get(i).healthy();
    }

    @Override
    public void close() {
        backend.close();
    }
}
