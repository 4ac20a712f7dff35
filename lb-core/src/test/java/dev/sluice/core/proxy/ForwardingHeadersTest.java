package dev.sluice.core.proxy;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hop-by-hop rule on a request's fields, for both maps a request can carry: the scanned head's
 * {@link HeadFields} (one pass for the fixed names) and Netty's map (chunked requests).
 */
class ForwardingHeadersTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldRemoveHopByHopFieldsInAnyLetterCaseAndKeepTheRestInOrder(boolean scanned) {
        HttpHeaders h = fields(scanned, "Host: a", "TE: trailers", "Accept: */*", "keep-alive: timeout=5",
                "PROXY-CONNECTION: keep-alive", "Trailer: x", "Upgrade: h2c", "Transfer-Encoding: chunked",
                "Connection: keep-alive", "Cookie: c=1");
        ForwardingHeaders.stripHopByHop(h);
        assertEquals(List.of("Host: a", "Accept: */*", "Cookie: c=1"), lines(h));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldRemoveTheFieldsEveryConnectionFieldNames(boolean scanned) {
        HttpHeaders h = fields(scanned, "Host: a", "Connection: keep-alive, X-One ,,x-two", "X-One: 1",
                "x-TWO: 2", "X-Three: 3", "connection: X-Three", "X-Four: 4");
        ForwardingHeaders.stripHopByHop(h);
        assertEquals(List.of("Host: a", "X-Four: 4"), lines(h));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldNeverLetAConnectionFieldRemoveHostOrContentLength(boolean scanned) {
        HttpHeaders h = fields(scanned, "Host: a", "Content-Length: 3", "Connection: HOST, content-length, Close",
                "Close: kept");
        ForwardingHeaders.stripHopByHop(h);
        assertEquals(List.of("Host: a", "Content-Length: 3", "Close: kept"), lines(h));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldLeaveARequestWithoutHopByHopFieldsAsItCame(boolean scanned) {
        HttpHeaders h = fields(scanned, "Host: a", "Accept: */*", "X-Forwarded-For: 10.0.0.1");
        ForwardingHeaders.stripHopByHop(h);
        assertEquals(List.of("Host: a", "Accept: */*", "X-Forwarded-For: 10.0.0.1"), lines(h));
    }

    /** The field lines as a scanned head (positions in its bytes) or as Netty's decoder's map holds them. */
    private static HttpHeaders fields(boolean scanned, String... lines) {
        if (!scanned) {
            HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
            for (String line : lines) {
                int colon = line.indexOf(':');
                netty.add(line.substring(0, colon), line.substring(colon + 2));
            }
            return netty;
        }
        String head = String.join("\r\n", lines) + "\r\n";
        HeadFields fields = new HeadFields();
        fields.reset(head.getBytes(StandardCharsets.ISO_8859_1));
        int at = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            fields.addReceived(at, colon, at + colon + 2, line.length() - colon - 2);
            at += line.length() + 2;
        }
        return fields;
    }

    private static List<String> lines(HttpHeaders h) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : h) {
            out.add(e.getKey() + ": " + e.getValue());
        }
        return out;
    }
}
