package dev.sluice.admin.systemd;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The config installed to /etc/sluice/sluice.yaml on a fresh host: the documented listener, cluster and admin
 * address, with the state directory the unit makes writable.
 */
class DefaultConfigTest {

    @Test
    @SuppressWarnings("unchecked")
    void shouldListenOn8080AndForwardToOneBackendWithAdminOnLoopback() throws IOException {
        String text = Files.readString(Scripts.repoRoot().resolve("systemd/sluice.yaml"));
        Map<String, Object> config = new Yaml().load(text);

        Map<String, Object> runtime = (Map<String, Object>) config.get("runtime");
        assertEquals("/var/lib/sluice", runtime.get("state_dir"));
        assertEquals("127.0.0.1:9901", ((Map<String, Object>) config.get("admin")).get("bind"));

        List<Map<String, Object>> listeners = (List<Map<String, Object>>) config.get("listeners");
        assertEquals(1, listeners.size());
        assertEquals("0.0.0.0:8080", listeners.get(0).get("bind"));
        List<Map<String, Object>> routes = (List<Map<String, Object>>) listeners.get(0).get("routes");
        assertEquals("web", routes.get(0).get("cluster"));

        List<Map<String, Object>> clusters = (List<Map<String, Object>>) config.get("clusters");
        assertEquals(1, clusters.size());
        assertEquals("web", clusters.get(0).get("name"));
        List<Map<String, Object>> backends = (List<Map<String, Object>>) clusters.get(0).get("backends");
        assertEquals(List.of("127.0.0.1:9001"), backends.stream().map(b -> b.get("address")).toList());
    }
}
