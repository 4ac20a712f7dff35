package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PickerFactoriesTest {

    @Test
    void shouldKnowEveryBuiltInPolicyByName() {
        assertEquals(Set.of("least_request", "maglev", "peak_ewma", "random", "round_robin"), PickerFactories.names());
        for (String name : PickerFactories.names()) {
            assertEquals(name, PickerFactories.get(name).name());
        }
    }
}
