package dev.sluice.core.config;

import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.core.filter.HttpFilterProvider;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A filter provider for tests, registered through {@code META-INF/services} in the test resources. It owns the
 * {@code test_extension:} section, which must be a mapping whose {@code cluster} names a cluster of the config, so
 * tests can see both that the loader asks the provider and that the provider gets the core config.
 */
public final class TestSectionProvider implements HttpFilterProvider {

    static final String SECTION = "test_extension";

    @Override
    public String section() {
        return SECTION;
    }

    @Override
    public List<ConfigError> validate(ConfigNode section, SluiceConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        if (section.kind() != ConfigNode.Kind.MAP) {
            errors.add(ConfigError.at(section, SECTION + " must be a mapping"));
            return errors;
        }
        ConfigNode cluster = section.get("cluster");
        if (cluster == null) {
            errors.add(ConfigError.at(section, "missing required key 'cluster' in " + SECTION));
        } else if (config.cluster(cluster.text()) == null) {
            errors.add(ConfigError.at(cluster, "unknown cluster '" + cluster.text() + "' in " + SECTION));
        }
        return errors;
    }

    @Override
    public HttpFilterFactory create(ConfigNode section, SluiceConfig config) {
        return new HttpFilterFactory() {
            @Override
            public int order() {
                return 0;
            }

            @Override
            public HttpFilter newFilter(EventLoop loop) {
                return (ctx, head) -> FilterResult.CONTINUE;
            }
        };
    }
}
