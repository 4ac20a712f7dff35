package dev.sluice.policy;

import dev.sluice.core.filter.FilterContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;

/**
 * A filter context that records what a filter did, for tests that drive a filter directly. Its request arrived
 * when the test's clock says it was made, as the data plane reads the time when a head arrives; a test may set
 * {@link #startNanos} itself.
 */
final class FakeContext implements FilterContext {

    long startNanos;
    HttpResponseStatus status;
    HttpHeaders headers;
    String body;
    String routed;
    Object attachment;

    /** A request that arrives now by {@code clock}: the policy sees {@code clock.nanoTime()} as its start. */
    FakeContext(PolicyClock clock) {
        this.startNanos = clock.nanoTime();
    }

    @Override
    public InetAddress clientAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public String listenerName() {
        return "test";
    }

    @Override
    public long requestStartNanos() {
        return startNanos;
    }

    @Override
    public void respond(HttpResponseStatus status, HttpHeaders headers, String jsonBody) {
        this.status = status;
        this.headers = headers;
        this.body = jsonBody;
    }

    @Override
    public void routeTo(String cluster) {
        routed = cluster;
    }

    @Override
    public String cluster() {
        return routed;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void setAttachment(Object value) {
        attachment = value;
    }
}
