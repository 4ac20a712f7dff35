package dev.sluice.admin;

import dev.sluice.admin.systemd.SystemdNotifier;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A running {@link SluiceService} over a YAML file in a test directory (listener and admin API on port 0), and a
 * small HTTP client for its admin API and listener. Close it to stop the service.
 */
final class AdminFixture implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path dir;
    final Path configFile;
    final SluiceService service;
    private String token;

    private AdminFixture(Path dir, Path configFile, SluiceService service) {
        this.dir = dir;
        this.configFile = configFile;
        this.service = service;
    }

    /** The YAML of one listener routing everything to cluster {@code web} with {@code backends}. */
    static String yaml(Path stateDir, String adminExtra, String balancer, String... backends) {
        StringBuilder list = new StringBuilder();
        for (String b : backends) {
            list.append("      - address: ").append(b).append('\n');
        }
        return """
                runtime: { workers: 2, drain_timeout: 5s, state_dir: %s }
                admin: { bind: 127.0.0.1:0%s }
                listeners:
                  - name: public
                    bind: 127.0.0.1:0
                    routes:
                      - match: { path_prefix: / }
                        cluster: web
                clusters:
                  - name: web
                    balancer: %s
                    backends:
                %s""".formatted(stateDir, adminExtra, balancer, list);
    }

    /** Writes {@code yaml} to {@code dir/sluice.yaml} and starts a service on it. */
    static AdminFixture start(Path dir, String yaml) throws IOException, ConfigException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml);
        SluiceService service = SluiceService.start(file, ConfigLoader.load(file), SystemdNotifier.fromEnvironment(Map.of()));
        return new AdminFixture(dir, file, service);
    }

    AdminFixture withToken(String bearer) {
        this.token = bearer;
        return this;
    }

    InetSocketAddress listener() {
        return service.server().boundAddress("public");
    }

    HttpResponse<String> admin(String method, String path) throws IOException, InterruptedException {
        return admin(method, path, null);
    }

    HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        InetSocketAddress a = service.adminAddress();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request through the data plane, with header fields as name and value pairs. */
    HttpResponse<String> proxy(String path, String... headers) throws IOException, InterruptedException {
        InetSocketAddress a = listener();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        service.close();
    }
}
