package dev.sluice.policy;

import dev.sluice.core.filter.AdminEndpoint;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.policy.config.PolicyConfig;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The API policy of one config version: opens the store, loads the consumers, and makes one {@link PolicyFilter}
 * per event loop. Its admin endpoint and metrics run on the admin thread.
 *
 * <p>Lifecycle: {@link #close()} closes the store. The data plane calls it only after every loop has switched to
 * the next config's filters, so no loop admits a request through this factory afterwards; the old filters may
 * still add response fields to exchanges in flight, which needs only heap state.
 */
public final class PolicyFilterFactory implements HttpFilterFactory {

    /** Runs early: the policy decides the cluster and may answer before anything else looks at the request. */
    public static final int ORDER = 100;

    private final ConsumerRegistry registry;
    private final PolicyClock clock;
    private final ApiRoute[] apis;
    private final ConsumersEndpoint endpoint;
    /** Each filter's admitted counts, for the metrics; added to on the thread that makes filters, read by admin. */
    private final List<LoopCounts> loops = new CopyOnWriteArrayList<>();

    private PolicyFilterFactory(ConsumerRegistry registry, PolicyConfig config, PolicyClock clock) {
        this.registry = registry;
        this.clock = clock;
        this.apis = config.apis().stream().map(ApiRoute::new).toArray(ApiRoute[]::new);
        this.endpoint = new ConsumersEndpoint(registry, clock);
    }

    /**
     * Opens the store in {@code config.store()} and loads every consumer.
     *
     * @throws IllegalStateException naming the path when the store cannot be opened or read
     */
    public static PolicyFilterFactory open(PolicyConfig config, PolicyClock clock) {
        PolicyStore store = PolicyStore.open(config.store());
        try {
            return new PolicyFilterFactory(ConsumerRegistry.load(config, store, clock), config, clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public HttpFilter newFilter(EventLoop loop) {
        LoopCounts allowed = new LoopCounts(registry.all().size());
        loops.add(allowed);
        return new PolicyFilter(apis, registry, clock, allowed);
    }

    @Override
    public List<AdminEndpoint> adminEndpoints() {
        return List.of(endpoint);
    }

    @Override
    public void writeMetrics(StringBuilder out) {
        PolicyMetrics.write(out, registry.all(), apis, loops);
    }

    @Override
    public void close() {
        registry.close(); // closes the store once no admin request is using it
    }
}
