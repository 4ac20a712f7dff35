package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin changes survive restarts and reloads; a broken reload keeps the old config and traffic. */
class AdminPersistenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;

    private static JsonNode backends(AdminFixture sluice) throws Exception {
        return JSON.readTree(sluice.admin("GET", "/api/v1/clusters/web").body()).get("backends");
    }

    @Test
    void shouldKeepChangesAcrossARestartOverTheSameStateDir() throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        TestBackend b = closer.use(TestBackend.named("b"));
        String yaml = AdminFixture.yaml(dir.resolve("state"), "", "round_robin", a.address().toString());
        try (AdminFixture first = AdminFixture.start(dir, yaml)) {
            assertEquals(201, first.admin("POST", "/api/v1/clusters/web/backends", "{\"address\":\"" + b.address() + "\",\"weight\":4}").statusCode());
            assertEquals(200, first.admin("PATCH", "/api/v1/clusters/web/backends/" + a.address(), "{\"state\":\"disabled\"}").statusCode());
        }
        AdminFixture second = closer.use(AdminFixture.start(dir, yaml));
        JsonNode list = backends(second);
        assertEquals(2, list.size());
        assertEquals("disabled", list.get(0).get("state").asText());
        assertEquals(b.address().toString(), list.get(1).get("address").asText());
        assertEquals(4, list.get(1).get("weight").asInt());
        assertEquals("b", second.proxy("/").body(), "the disabled backend gets no traffic after the restart");
    }

    @Test
    void shouldLayChangesOverTheFileAfterAReload() throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        TestBackend b = closer.use(TestBackend.named("b"));
        AdminFixture sluice = closer.use(AdminFixture.start(dir, AdminFixture.yaml(dir.resolve("state"), "", "round_robin", a.address().toString())));
        sluice.admin("POST", "/api/v1/clusters/web/backends", "{\"address\":\"" + b.address() + "\"}");
        HttpResponse<String> r = sluice.admin("POST", "/api/v1/reload");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, JSON.readTree(r.body()).get("version").asLong());
        assertEquals(2, backends(sluice).size(), "the saved backend list replaces the file's after a reload");
    }

    @Test
    void shouldKeepOldConfigAndTrafficWhenReloadIsBroken() throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        AdminFixture sluice = closer.use(AdminFixture.start(dir, AdminFixture.yaml(dir.resolve("state"), "", "round_robin", a.address().toString())));
        Files.writeString(sluice.configFile, Files.readString(sluice.configFile).replace("balancer: round_robin", "balancer: fastest"));
        HttpResponse<String> r = sluice.admin("POST", "/api/v1/reload");
        assertEquals(400, r.statusCode(), r.body());
        String error = JSON.readTree(r.body()).get("errors").get(0).asText();
        assertTrue(error.matches(".*sluice\\.yaml:\\d+:\\d+: .*"), "FILE:LINE:COLUMN: message, got " + error);
        assertEquals(1, sluice.service.server().configVersion());
        assertEquals("a", sluice.proxy("/").body());
        assertEquals("round_robin", JSON.readTree(sluice.admin("GET", "/api/v1/clusters/web").body()).get("balancer").asText());
    }

    @Test
    void shouldRefuseToStartWhenSavedChangesAreUnreadable() throws Exception {
        TestBackend a = closer.use(TestBackend.named("a"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("overrides.json"), "{\"format\":1,\"clusters\":{\"web\":{\"backends\":[{\"address\":\"x:1\",\"state\":\"odd\"}]}}}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AdminFixture.start(dir, AdminFixture.yaml(state, "", "round_robin", a.address().toString())));
        assertTrue(e.getMessage().contains("overrides.json"), e.getMessage());
    }
}
