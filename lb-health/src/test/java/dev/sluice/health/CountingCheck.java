package dev.sluice.health;

import dev.sluice.core.config.HostPort;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a check and counts, per backend, probes started and completed and the most in flight at once.
 * Its completion listener is added before the caller's, so a probe counts as finished before the scheduler
 * hears of it.
 */
final class CountingCheck implements HealthCheck {

    private final HealthCheck delegate;
    private final Map<HostPort, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<HostPort, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<HostPort, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<HostPort, AtomicInteger> completed = new ConcurrentHashMap<>();

    CountingCheck(HealthCheck delegate) {
        this.delegate = delegate;
    }

    @Override
    public Future<ProbeResult> probe(HostPort backend, InetSocketAddress address) {
        int now = counter(inFlight, backend).incrementAndGet();
        counter(maxInFlight, backend).accumulateAndGet(now, Math::max);
        counter(started, backend).incrementAndGet();
        Future<ProbeResult> probe = delegate.probe(backend, address);
        probe.addListener(f -> {
            counter(inFlight, backend).decrementAndGet();
            counter(completed, backend).incrementAndGet();
        });
        return probe;
    }

    int maxInFlight(HostPort backend) {
        return counter(maxInFlight, backend).get();
    }

    int started(HostPort backend) {
        return counter(started, backend).get();
    }

    int completed(HostPort backend) {
        return counter(completed, backend).get();
    }

    private static AtomicInteger counter(Map<HostPort, AtomicInteger> map, HostPort backend) {
        return map.computeIfAbsent(backend, b -> new AtomicInteger());
    }
}
