package dev.sluice.health;

import dev.sluice.core.config.HostPort;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The {@code tcp} check: healthy when a connection to the backend is established within the timeout; the
 * connection is closed at once without sending anything.
 *
 * <p>Immutable and stateless between probes; each probe's state is confined to the transport's loop.
 */
final class TcpHealthCheck implements HealthCheck {

    private final ProbeTransport transport;
    private final Duration timeout;

    TcpHealthCheck(ProbeTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    @Override
    public Future<ProbeResult> probe(HostPort backend, InetSocketAddress address) {
        return ProbeAttempt.onLoop(transport.loop(), () -> start(address));
    }

    private ProbeAttempt start(InetSocketAddress address) {
        ProbeAttempt attempt = ProbeAttempt.start(transport.loop(), timeout);
        if (address == null || address.isUnresolved()) {
            attempt.complete(ProbeResult.unhealthy("address " + address + " is not resolved"));
            return attempt;
        }
        ChannelFuture connect = transport.bootstrap(timeout)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        attempt.connecting(connect);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                attempt.complete(ProbeResult.healthy("connected"));
            }
        });
        return attempt;
    }
}
