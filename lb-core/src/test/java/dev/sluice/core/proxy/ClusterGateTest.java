package dev.sluice.core.proxy;

import dev.sluice.core.balancer.Backend;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterLimits;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.stats.BackendCounters;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterGateTest {

    private static UpstreamPool pool(ClusterGate gate) {
        HostPort a = new HostPort("127.0.0.1", 9001);
        Backend b = new Backend(a, new InetSocketAddress("127.0.0.1", 9001), 1, BackendState.ACTIVE, true);
        return new UpstreamPool(b, new BackendCounters(), gate);
    }

    @Test
    void shouldSplitEachLimitOverTheLoopsRoundingUp() {
        assertEquals(1024, ClusterGate.share(1024, 1));
        assertEquals(342, ClusterGate.share(1024, 3));
        assertEquals(1, ClusterGate.share(2, 3), "a positive limit leaves every loop at least one");
        assertEquals(0, ClusterGate.share(0, 4));
    }

    @Test
    void shouldRefuseANewConnectionOnceTheBackendHasItsShare() {
        ClusterGate gate = new ClusterGate();
        gate.configure(new ClusterLimits(2, 100), 1);
        UpstreamPool pool = pool(gate);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        pool.track(first.newSucceededFuture());
        assertTrue(gate.mayConnect(pool));
        pool.track(second.newSucceededFuture());
        assertFalse(gate.mayConnect(pool));
        first.close();
        assertTrue(gate.mayConnect(pool), "a closed connection frees its slot");
        second.close();
        assertEquals(0, pool.connections());
    }

    @Test
    void shouldRefuseOnceTheClusterHasItsShareOfPendingConnects() {
        ClusterGate gate = new ClusterGate();
        gate.configure(new ClusterLimits(100, 1), 1);
        UpstreamPool pool = pool(gate);
        EmbeddedChannel ch = new EmbeddedChannel();
        var connect = ch.newPromise();
        pool.track(connect);
        assertEquals(1, gate.pending());
        assertFalse(gate.mayConnect(pool));
        connect.setSuccess();
        assertEquals(0, gate.pending());
        assertTrue(gate.mayConnect(pool));
        ch.close();
    }

    @Test
    void shouldNotLimitWithoutLimits() {
        ClusterGate gate = new ClusterGate();
        gate.configure(null, 4);
        assertEquals(Integer.MAX_VALUE, gate.maxPending());
        assertEquals(Integer.MAX_VALUE, gate.maxConnectionsPerBackend());
    }
}
