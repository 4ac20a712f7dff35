package dev.sluice.admin.api;

import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.SluiceConfig;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/config}: the effective config (file plus saved admin changes) as JSON, with the config's
 * own snake_case names. Secrets stay out: the admin token's contents are never read here (only the file's path
 * is shown), and filter module sections ({@code policy:}, which may hold API keys) are listed by name only.
 * Durations are written as {@code 250ms} or {@code 2s}. Admin worker thread.
 */
final class ConfigJson {

    private ConfigJson() {
    }

    static Map<String, Object> of(SluiceConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", config.source() == null ? null : config.source().toString());
        m.put("runtime", value(config.runtime()));
        m.put("admin", value(config.admin()));
        m.put("listeners", value(config.listeners()));
        m.put("clusters", value(config.clusters()));
        m.put("extensions", new ArrayList<>(config.extensions().keySet()));
        return m;
    }

    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (v instanceof HostPort || v instanceof Path || v instanceof Enum<?>) {
            return v.toString();
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                out.add(value(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, o) -> out.put(String.valueOf(k), value(o)));
            return out;
        }
        if (v instanceof Record r) {
            return record(r);
        }
        return v.toString();
    }

    private static Map<String, Object> record(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                out.put(snake(c.getName()), value(c.getAccessor().invoke(r)));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read config field " + c.getName() + ": " + e, e);
            }
        }
        return out;
    }

    private static String snake(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
