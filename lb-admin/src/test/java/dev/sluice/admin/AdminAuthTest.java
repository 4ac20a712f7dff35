package dev.sluice.admin;

import dev.sluice.core.testing.Closer;
import dev.sluice.core.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer token authentication of the admin API and the checks on the token file at startup. */
class AdminAuthTest {

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;

    private Path tokenFile(String token, String perms) throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, token);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }

    private String yaml(Path token, TestBackend backend) {
        return AdminFixture.yaml(dir.resolve("state"), ", token_file: " + token, "round_robin", backend.address().toString());
    }

    @Test
    void shouldRefuseRequestsWithoutTheRightBearerToken() throws Exception {
        TestBackend backend = closer.use(TestBackend.named("a"));
        AdminFixture sluice = closer.use(AdminFixture.start(dir, yaml(tokenFile("s3cret\n", "rw-------"), backend)));
        HttpResponseAssert.status(401, sluice.admin("GET", "/api/v1/clusters"));
        HttpResponseAssert.status(401, sluice.withToken("Bearer wrong").admin("GET", "/api/v1/clusters"));
        HttpResponseAssert.status(401, sluice.withToken("Bearer s3cret-and-more").admin("GET", "/healthz"));
        HttpResponseAssert.status(401, sluice.withToken("Basic s3cret").admin("GET", "/api/v1/clusters"));
        HttpResponseAssert.status(200, sluice.withToken("Bearer s3cret").admin("GET", "/api/v1/clusters"));
        HttpResponseAssert.status(201, sluice.admin("POST", "/api/v1/clusters/web/backends", "{\"address\":\"127.0.0.1:9\"}"));
        assertTrue(!sluice.admin("GET", "/api/v1/config").body().contains("s3cret"), "the token never appears in the config");
    }

    @Test
    void shouldRefuseToStartWhenTheTokenFileIsReadableByOthers() throws Exception {
        TestBackend backend = closer.use(TestBackend.named("a"));
        Path token = tokenFile("s3cret", "rw-r--r--");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminFixture.start(dir, yaml(token, backend)));
        assertTrue(e.getMessage().contains("readable by group or others"), e.getMessage());
    }

    @Test
    void shouldRefuseToStartWhenTheTokenFileIsEmpty() throws Exception {
        TestBackend backend = closer.use(TestBackend.named("a"));
        Path token = tokenFile("  \n", "rw-------");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminFixture.start(dir, yaml(token, backend)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    /** Status assertions that show the body on failure. */
    static final class HttpResponseAssert {
        static void status(int expected, java.net.http.HttpResponse<String> r) {
            assertEquals(expected, r.statusCode(), r.body());
        }
    }
}
