package dev.sluice.core.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes what a test opened (backends, proxies, clients), newest first, after each test, even when it fails.
 * Register with {@code @RegisterExtension final Closer closer = new Closer();} and wrap with {@link #use}.
 */
public final class Closer implements AfterEachCallback {

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Registers {@code resource} for closing and returns it. */
    public <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }
}
