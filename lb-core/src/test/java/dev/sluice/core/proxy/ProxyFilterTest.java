package dev.sluice.core.proxy;

import dev.sluice.core.config.ListenerLimits;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.config.YamlNodeReader;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filter SPI end to end: a module found through ServiceLoader answers, routes and decorates responses. */
class ProxyFilterTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private ProxyFixture proxy(String transport, int loops, TestBackend web, TestBackend other, boolean withFilter) throws Exception {
        SluiceConfig base = ProxyFixture.config(transport, loops, ListenerLimits.defaults(),
                List.of(ProxyFixture.cluster("web", "round_robin", web), ProxyFixture.cluster("other", "round_robin", other)),
                List.of(ProxyFixture.route("/", "web")));
        Map<String, dev.sluice.core.config.ConfigNode> extensions = withFilter
                ? Map.of(RecordingFilterProvider.SECTION, YamlNodeReader.read("test.yaml", "enabled: true"))
                : Map.of();
        return closer.use(ProxyFixture.start(new SluiceConfig(null, base.runtime(), base.admin(), base.listeners(),
                base.clusters(), extensions)));
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldLetAFilterAnswerRouteAndDecorateResponses(String transport, int loops) throws Exception {
        TestBackend web = closer.use(TestBackend.named("web"));
        TestBackend other = closer.use(TestBackend.named("other"));
        int completedBefore = RecordingFilterProvider.COMPLETED.get();
        RawHttpClient client = closer.use(proxy(transport, loops, web, other, true).client());

        client.send("GET /denied HTTP/1.1\r\nHost: h\r\nx-deny: 1\r\n\r\n");
        RawHttpClient.Response denied = client.readResponse(false);
        assertEquals(403, denied.status());
        assertEquals("test_filter", denied.header("x-denied-by"));
        assertEquals("/denied", denied.header("x-filter-saw"), "local replies pass the response stage too");
        assertEquals(0, web.received().size() + other.received().size(), "nothing reaches a backend");

        client.send("GET /elsewhere HTTP/1.1\r\nHost: h\r\nx-route: other\r\n\r\n");
        RawHttpClient.Response routed = client.readResponse(false);
        assertEquals("other", routed.bodyText());
        assertEquals("/elsewhere", routed.header("x-filter-saw"));

        RawHttpClient.Response plain = client.get("/plain");
        assertEquals("web", plain.bodyText());
        assertEquals("/plain", plain.header("x-filter-saw"));
        // onComplete runs on the proxy's loop just after the response is written: wait (bounded) for it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (RecordingFilterProvider.COMPLETED.get() < completedBefore + 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(completedBefore + 3, RecordingFilterProvider.COMPLETED.get(), "onComplete once per exchange");
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldGiveFiltersTheTimeEachRequestHeadArrivedInEveryStage(String transport, int loops) throws Exception {
        TestBackend web = closer.use(TestBackend.named("web"));
        TestBackend other = closer.use(TestBackend.named("other"));
        RawHttpClient client = closer.use(proxy(transport, loops, web, other, true).client());
        // two exchanges on one keep-alive connection: the second's reading must be its own, not the first's
        for (String path : List.of("/first", "/second")) {
            long sent = System.nanoTime(); // the proxy runs in this JVM: one monotonic clock for both sides
            RawHttpClient.Response r = client.get(path);
            long received = System.nanoTime();
            long start = Long.parseLong(r.header("x-filter-start-request"));
            assertEquals(start, Long.parseLong(r.header("x-filter-start-response")), "one reading per exchange");
            assertTrue(start - sent >= 0 && received - start >= 0, "read after the request was sent, before its"
                    + " response came back: " + sent + " <= " + start + " <= " + received);
        }
    }

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldCreateNoFilterWhenTheConfigHasNoSection(String transport, int loops) throws Exception {
        TestBackend web = closer.use(TestBackend.named("web"));
        TestBackend other = closer.use(TestBackend.named("other"));
        int instancesBefore = RecordingFilterProvider.INSTANCES.get();
        RawHttpClient client = closer.use(proxy(transport, loops, web, other, false).client());
        RawHttpClient.Response r = client.get("/plain");
        assertEquals("web", r.bodyText());
        assertTrue(r.header("x-filter-saw") == null, "no filter ran");
        assertEquals(instancesBefore, RecordingFilterProvider.INSTANCES.get(), "the module was never instantiated");
    }
}
