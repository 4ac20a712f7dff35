package dev.sluice.admin.api;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.proxy.ProxyServer;
import dev.sluice.health.ClusterHealthSnapshot;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the admin API needs from the running process. Implemented by the process's service object.
 *
 * <p>Threading: called on the admin worker thread only, never on an event loop.
 */
public interface AdminControl {

    /** The data plane. */
    ProxyServer server();

    /** The latest health of every cluster with health checking or outlier detection, by name; never blocks. */
    Map<String, ClusterHealthSnapshot> healthSnapshots();

    /** The saved runtime changes, laid over the config at startup and after every reload. */
    OverridesStore overrides();

    /** Whether the process serves traffic: false while starting and while draining. */
    boolean isReady();

    /**
     * Re-reads the config file, lays the saved overrides over it and applies it.
     *
     * @return the new config version
     * @throws ConfigException       when the file is invalid; the old config stays
     * @throws IllegalStateException when there is no file to reload or a listener cannot bind
     */
    long reload() throws ConfigException;

    /**
     * Runs a change to a cluster and its persistence as one step with respect to reloads, so a reload never
     * lays stale overrides over a change made while it ran.
     */
    <T> T underChangeLock(Supplier<T> change);
}
