package dev.sluice.health;

import dev.sluice.core.testing.Await;
import dev.sluice.core.config.HealthCheckConfig;
import dev.sluice.core.config.HostPort;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The http and tcp checks against real servers on loopback, on every transport available here. */
class HealthCheckTest {

    static List<TestTransport> transports() {
        return TestTransport.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportHealthyWhenBackendAnswers200(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).answer(200); Client client = new Client(transport)) {
            ProbeResult result = client.probe(http(List.of(), null), backend);
            assertTrue(result.healthy(), result.cause());
            assertEquals("HTTP 200", result.cause());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportUnhealthyWithTheStatusWhenBackendAnswers503(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).answer(503); Client client = new Client(transport)) {
            ProbeResult result = client.probe(http(List.of(), null), backend);
            assertFalse(result.healthy());
            assertEquals("HTTP 503", result.cause());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldJudgeOnlyByExpectedStatusesWhenSomeAreConfigured(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).answer(503); Client client = new Client(transport)) {
            ProbeResult listed = client.probe(http(List.of(503), null), backend);
            assertTrue(listed.healthy(), listed.cause());
            backend.answer(200);
            ProbeResult unlisted = client.probe(http(List.of(204), null), backend);
            assertFalse(unlisted.healthy(), unlisted.cause());
            assertEquals("HTTP 200", unlisted.cause());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportTimeoutWhenBackendAcceptsButNeverAnswers(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).silent(); Client client = new Client(transport)) {
            ProbeResult result = client.probe(withTimeout(http(List.of(), null), Duration.ofSeconds(1)), backend);
            assertFalse(result.healthy());
            assertTrue(result.cause().startsWith("timed out after 1000ms while "), result.cause());
            Await.until("the backend to have read the request", () -> backend.requests.get() == 1);
            Await.until("the probe connection to be closed", () -> backend.closed.get() == 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportConnectFailureWhenConnectionIsRefused(TestTransport transport) throws Exception {
        try (Client client = new Client(transport)) {
            int port = unusedPort();
            HealthCheck check = HealthCheck.of(http(List.of(), null), client.transport);
            ProbeResult result = client.await(check.probe(new HostPort("127.0.0.1", port),
                    new InetSocketAddress("127.0.0.1", port)));
            assertFalse(result.healthy());
            assertTrue(result.cause().startsWith("connect failed"), result.cause());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldSendPathBackendHostAndConnectionClose(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport); Client client = new Client(transport)) {
            client.probe(http(List.of(), null), backend);
            assertEquals("/healthz", backend.lastRequest.uri());
            assertEquals("127.0.0.1:" + backend.port(), backend.lastRequest.headers().get(HttpHeaderNames.HOST));
            assertEquals("close", backend.lastRequest.headers().get(HttpHeaderNames.CONNECTION));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldSendTheConfiguredHostHeader(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport); Client client = new Client(transport)) {
            client.probe(http(List.of(), "health.example.com"), backend);
            assertEquals("health.example.com", backend.lastRequest.headers().get(HttpHeaderNames.HOST));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportHealthyWhenTcpConnectSucceeds(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).silent(); Client client = new Client(transport)) {
            ProbeResult result = client.probe(tcp(), backend);
            assertTrue(result.healthy(), result.cause());
            Await.until("the tcp probe to close its connection", () -> backend.closed.get() == 1);
            assertEquals(0, backend.requests.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportUnhealthyWhenTcpConnectIsRefused(TestTransport transport) throws Exception {
        try (Client client = new Client(transport)) {
            int port = unusedPort();
            HealthCheck check = HealthCheck.of(tcp(), client.transport);
            ProbeResult result = client.await(check.probe(new HostPort("127.0.0.1", port),
                    new InetSocketAddress("127.0.0.1", port)));
            assertFalse(result.healthy());
            assertTrue(result.cause().startsWith("connect failed"), result.cause());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldCloseTheConnectionWhenAProbeIsCancelled(TestTransport transport) throws Exception {
        try (TestBackend backend = TestBackend.start(transport).silent(); Client client = new Client(transport)) {
            HealthCheckConfig slow = new HealthCheckConfig("http", "/", Duration.ofSeconds(1),
                    Duration.ofSeconds(30), 1, 1, null, List.of());
            Future<ProbeResult> probe = HealthCheck.of(slow, client.transport)
                    .probe(backend.address(), new InetSocketAddress("127.0.0.1", backend.port()));
            Await.until("the probe request to arrive", () -> backend.requests.get() == 1);
            assertTrue(probe.cancel(false));
            Await.until("the cancelled probe's connection to be closed", () -> backend.closed.get() == 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void shouldReportUnhealthyWithoutConnectingWhenTheAddressIsUnresolved(TestTransport transport) throws Exception {
        try (Client client = new Client(transport)) {
            HealthCheck check = HealthCheck.of(http(List.of(), null), client.transport);
            ProbeResult result = client.await(check.probe(new HostPort("backend.invalid", 80),
                    InetSocketAddress.createUnresolved("backend.invalid", 80)));
            assertFalse(result.healthy());
            assertTrue(result.cause().contains("not resolved"), result.cause());
        }
    }

    /** Timeouts are generous where a probe should succeed: a cold JVM is slow, and no test measures time. */
    static HealthCheckConfig http(List<Integer> expected, String host) {
        return new HealthCheckConfig("http", "/healthz", Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 1, host,
                expected);
    }

    static HealthCheckConfig tcp() {
        return new HealthCheckConfig("tcp", null, Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 1, null, List.of());
    }

    static HealthCheckConfig withTimeout(HealthCheckConfig c, Duration timeout) {
        return new HealthCheckConfig(c.type(), c.path(), c.interval(), timeout, c.rise(), c.fall(), c.host(),
                c.expectedStatuses());
    }

    /** A port nothing listens on: bound once by the OS, then released. */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One client event loop of the transport under test. */
    static final class Client implements AutoCloseable {
        final MultiThreadIoEventLoopGroup group;
        final ProbeTransport transport;

        Client(TestTransport t) {
            group = t.newGroup(1);
            transport = ProbeTransport.of(group.next(), t.client());
        }

        ProbeResult probe(HealthCheckConfig config, TestBackend backend) throws Exception {
            HealthCheck check = HealthCheck.of(config, transport);
            return await(check.probe(backend.address(), new InetSocketAddress("127.0.0.1", backend.port())));
        }

        ProbeResult await(Future<ProbeResult> probe) throws Exception {
            return probe.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
