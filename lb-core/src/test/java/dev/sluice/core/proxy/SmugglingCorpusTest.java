package dev.sluice.core.proxy;

import dev.sluice.core.testing.ProxyFixture;
import dev.sluice.core.testing.RawCorpus;
import dev.sluice.core.testing.RawCorpus.Entry;
import dev.sluice.core.testing.RawHttpClient;
import dev.sluice.core.testing.RawHttpClient.Response;
import dev.sluice.core.testing.TestBackend;
import dev.sluice.core.testing.TestBackend.RecordedRequest;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the request-smuggling corpus ({@code src/test/resources/smuggling/requests.txt}, also replayed against
 * other proxies by {@code scripts/smuggling-corpus.sh}) through a proxy to a recording backend, on every
 * transport with one and three loops. Each entry is sent on its own connection and checked for its statuses,
 * {@code Connection: close} and a closed connection after a refusal, and what the backend received: nothing of
 * a refused request.
 */
class SmugglingCorpusTest {

    private static final String CORPUS = "/smuggling/requests.txt";

    @ParameterizedTest(name = "{0} x{1}")
    @MethodSource("dev.sluice.core.testing.Transports#matrix")
    void shouldAnswerEveryCorpusEntryAsRecordedAndForwardNothingOfARefusal(String transport, int loops) throws Exception {
        List<Entry> corpus = RawCorpus.load(CORPUS, 4);
        assertTrue(corpus.size() >= 60, "corpus size " + corpus.size());
        try (TestBackend backend = TestBackend.named("b");
             ProxyFixture proxy = ProxyFixture.start(transport, loops, backend)) {
            List<Executable> checks = new ArrayList<>();
            for (Entry e : corpus) {
                checks.add(() -> replay(proxy, backend, e));
            }
            assertAll(checks);
        }
    }

    private static void replay(ProxyFixture proxy, TestBackend backend, Entry e) throws IOException {
        String[] statuses = e.columns().get(0).split(",");
        String expectation = e.columns().get(1);
        int requestsBefore = backend.received().size();
        long bytesBefore = backend.bytesReceived();
        try (RawHttpClient client = proxy.client(5_000)) {
            client.send(e.raw());
            Response last = null;
            for (String status : statuses) {
                last = client.readResponse(false);
                assertEquals(Integer.parseInt(status), last.status(), e.name() + ": status, body " + last.bodyText());
            }
            if (last.status() >= 400) {
                assertEquals("close", last.header("connection"), e.name() + ": Connection field of a refusal");
                assertTrue(client.isClosedByPeer(), e.name() + ": connection closed after a refusal");
            }
        }
        switch (expectation) {
            case "none" -> assertEquals(bytesBefore, backend.bytesReceived(), e.name() + ": bytes reached the backend");
            case "partial" -> assertEquals(requestsBefore, backend.received().size(),
                    e.name() + ": a complete request reached the backend");
            default -> checkForwarded(backend, requestsBefore, e.name(), expectation);
        }
    }

    private static void checkForwarded(TestBackend backend, int before, String name, String expectation) {
        String[] parts = expectation.split(";");
        List<RecordedRequest> received = backend.received();
        assertEquals(Integer.parseInt(parts[0]), received.size() - before, name + ": requests forwarded");
        RecordedRequest last = received.get(received.size() - 1);
        for (int i = 1; i < parts.length; i++) {
            String key = parts[i].substring(0, parts[i].indexOf('='));
            String value = parts[i].substring(key.length() + 1);
            switch (key) {
                case "uri" -> assertEquals(value, last.uri(), name + ": forwarded target");
                case "body" -> assertEquals(value, last.bodyText(), name + ": forwarded body");
                case "absent" -> {
                    assertNull(last.header(value), name + ": forwarded field " + value);
                    assertNull(last.trailer(value), name + ": forwarded trailer field " + value);
                }
                case "header" -> {
                    int colon = value.indexOf(':');
                    assertEquals(value.substring(colon + 1), last.header(value.substring(0, colon)),
                            name + ": forwarded field " + value.substring(0, colon));
                }
                default -> throw new IllegalArgumentException(name + ": unknown check " + key);
            }
        }
    }
}
