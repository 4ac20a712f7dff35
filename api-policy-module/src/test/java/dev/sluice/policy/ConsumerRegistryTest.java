package dev.sluice.policy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ConsumerRegistryTest {

    @TempDir
    Path store;
    final FakeClock clock = new FakeClock(Instant.parse("2026-11-28T12:00:00Z").toEpochMilli());
    ConsumerRegistry registry;

    @BeforeEach
    void open() {
        String policy = """
                store: %s
                plans:
                  gold: { rate: 1000/s, burst: 1000, quota: 5000/day }
                  free: { rate: 5/s }
                apis:
                  - name: orders
                    match: { path_prefix: /orders/ }
                """.formatted(store);
        registry = ConsumerRegistry.load(PolicyHarness.readValid(policy), PolicyStore.open(store), clock);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void shouldShareOnePlansLimitsAmongItsConsumersAndAfterAPlanChange() {
        registry.create("acme", "gold");
        registry.create("globex", "gold");
        registry.create("initech", "free");
        Consumer.Limits gold = registry.get("acme").limits();
        assertSame(gold, registry.get("globex").limits());
        assertNotSame(gold, registry.get("initech").limits());
        assertEquals("\"rate\";q=1000;w=1, \"quota\";q=5000;w=86400", gold.policyField().toString());

        registry.setPlan("globex", "free");
        assertSame(registry.get("initech").limits(), registry.get("globex").limits());
        assertEquals("free", registry.get("globex").plan().name());
        assertSame(gold, registry.get("acme").limits());
    }

    @Test
    void shouldNumberConsumersDenselyInOrderOfCreation() {
        registry.create("acme", "gold");
        registry.create("globex", "free");
        assertEquals(0, registry.get("acme").number());
        assertEquals(1, registry.get("globex").number());
    }
}
