package dev.sluice.core.config;

import dev.sluice.core.balancer.PickerFactories;
import dev.sluice.core.filter.HttpFilterProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What a config may name beyond its core sections: the balancer names and the filter providers that own extra
 * top-level sections. Immutable. {@link #installed()} reads the running process; tests pass a fixed catalog so
 * their expected messages do not change as policies are registered.
 *
 * @param balancers balancer names a cluster may use, kept sorted for messages
 * @param providers filter providers, each owning the top-level section named by {@link HttpFilterProvider#section()}
 */
record ConfigCatalog(List<String> balancers, List<HttpFilterProvider> providers) {

    ConfigCatalog {
        balancers = balancers.stream().distinct().sorted().toList();
        providers = List.copyOf(providers);
    }

    /** The balancers in {@link PickerFactories} and the providers {@link ServiceLoader} finds now. */
    static ConfigCatalog installed() {
        List<HttpFilterProvider> providers = new ArrayList<>();
        ServiceLoader.load(HttpFilterProvider.class).forEach(providers::add);
        return new ConfigCatalog(List.copyOf(PickerFactories.names()), providers);
    }
}
