package dev.sluice.policy;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.filter.HttpFilterFactory;
import dev.sluice.core.filter.HttpFilterProvider;
import dev.sluice.policy.config.PolicyConfigReader;

import java.util.List;

/**
 * Owns the {@code policy:} section (CONTRACT.md section 6); found through {@link java.util.ServiceLoader}.
 * Without that section it is never asked for anything, so the data plane runs no policy code at all.
 */
public final class PolicyFilterProvider implements HttpFilterProvider {

    @Override
    public String section() {
        return "policy";
    }

    @Override
    public List<ConfigError> validate(ConfigNode section, SluiceConfig config) {
        return PolicyConfigReader.read(section, config).errors();
    }

    @Override
    public HttpFilterFactory create(ConfigNode section, SluiceConfig config) throws ConfigException {
        PolicyConfigReader.Result result = PolicyConfigReader.read(section, config);
        if (!result.errors().isEmpty()) {
            throw new ConfigException(result.errors());
        }
        return PolicyFilterFactory.open(result.config(), PolicyClock.SYSTEM);
    }
}
