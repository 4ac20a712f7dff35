package dev.sluice.core.balancer;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of balancing policies by name. Built-in policies are registered at class load; more can be
 * registered at startup (before any config that names them is validated). Thread-safe; read off the hot path.
 */
public final class PickerFactories {

    private static final Map<String, PickerFactory<?>> BY_NAME = new ConcurrentHashMap<>();

    static {
        register(new RoundRobinPickerFactory());
        register(new RandomPickerFactory());
        register(new LeastRequestPickerFactory());
        register(new PeakEwmaPickerFactory());
        register(new MaglevPickerFactory());
    }

    private PickerFactories() {
    }

    public static void register(PickerFactory<?> factory) {
        BY_NAME.put(factory.name(), factory);
    }

    /** The factory called {@code name}, or {@code null}. */
    public static PickerFactory<?> get(String name) {
        return BY_NAME.get(name);
    }

    /** Known policy names, sorted (for error messages). */
    public static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}
