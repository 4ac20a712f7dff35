package dev.sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.SluiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes made through the admin API, kept in {@code runtime.state_dir/overrides.json} so they survive a
 * restart and a reload.
 *
 * <p>Format: {@code {"format":1,"clusters":{"NAME":{"balancer":"...","hash_key":"...","backends":[{"address":
 * "host:port","weight":1,"state":"active"}]}}}}. Precedence: for every cluster named here that the config file
 * also defines, the backend list, balancer and hash key recorded here replace the file's; every other setting
 * comes from the file. Entries for clusters the file no longer defines are ignored (and kept, in case the
 * cluster comes back).
 *
 * <p>Threading: any control thread (admin worker, signal handler, main); methods serialise on this object.
 * Never called on an event loop: it does file I/O. Writes are atomic: temp file, fsync, rename, fsync of the
 * directory.
 */
public final class OverridesStore {

    private static final Logger LOG = LoggerFactory.getLogger(OverridesStore.class);
    static final String FILE_NAME = "overrides.json";

    private final Path file;
    private final Map<String, ClusterConfig> clusters = new LinkedHashMap<>();

    private OverridesStore(Path file) {
        this.file = file;
    }

    /**
     * Reads the overrides under {@code stateDir} (none when the file does not exist).
     *
     * @throws IllegalArgumentException when the file exists but cannot be read or parsed: Sluice must not
     *                                  silently forget changes an operator made
     */
    public static OverridesStore open(Path stateDir) {
        OverridesStore store = new OverridesStore(stateDir.resolve(FILE_NAME));
        if (Files.exists(store.file)) {
            try {
                store.read(Reply.MAPPER.readTree(Files.readString(store.file)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the admin API's saved changes " + store.file + ": "
                        + e.getMessage() + " (fix or remove the file)", e);
            }
        }
        return store;
    }

    private void read(JsonNode root) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("clusters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            List<BackendConfig> backends = new ArrayList<>();
            for (JsonNode b : c.path("backends")) {
                backends.add(readBackend(e.getKey(), b));
            }
            ClusterConfig saved = ClusterConfig.simple(e.getKey(), c.path("balancer").asText("round_robin"), backends)
                    .withBalancer(c.path("balancer").asText("round_robin"), c.path("hash_key").asText("client_ip"));
            clusters.put(e.getKey(), saved);
        }
    }

    /** One saved backend; a value this version cannot read fails rather than being guessed. */
    private static BackendConfig readBackend(String cluster, JsonNode b) {
        String stateName = b.path("state").asText("active");
        BackendState state = BackendState.fromWireName(stateName);
        int weight = b.path("weight").asInt(1);
        if (state == null || weight < 1 || !b.path("address").isTextual()) {
            throw new IllegalArgumentException("cluster " + cluster + ": bad saved backend " + b);
        }
        return new BackendConfig(HostPort.parse(b.path("address").asText()), weight, state);
    }

    /** The file the overrides live in. */
    public Path file() {
        return file;
    }

    /** {@code config} with every saved cluster override laid over it (see the class comment for precedence). */
    public synchronized SluiceConfig applyTo(SluiceConfig config) {
        if (clusters.isEmpty()) {
            return config;
        }
        List<ClusterConfig> merged = new ArrayList<>();
        for (ClusterConfig c : config.clusters()) {
            ClusterConfig saved = clusters.get(c.name());
            merged.add(saved == null ? c : c.withBackends(saved.backends()).withBalancer(saved.balancer(), saved.hashKey()));
        }
        return new SluiceConfig(config.source(), config.runtime(), config.admin(), config.listeners(), merged, config.extensions());
    }

    /**
     * Records a cluster's current backends and balancer and writes the file atomically.
     *
     * @throws IOException when the file cannot be written; the caller reports it (the change is in force but
     *                     would not survive a restart)
     */
    public synchronized void save(ClusterConfig cluster) throws IOException {
        clusters.put(cluster.name(), cluster);
        write();
    }

    private void write() throws IOException {
        ObjectNode root = Reply.MAPPER.createObjectNode();
        root.put("format", 1);
        ObjectNode all = root.putObject("clusters");
        for (ClusterConfig c : clusters.values()) {
            ObjectNode node = all.putObject(c.name());
            node.put("balancer", c.balancer());
            node.put("hash_key", c.hashKey());
            ArrayNode list = node.putArray("backends");
            for (BackendConfig b : c.backends()) {
                list.addObject().put("address", b.address().toString()).put("weight", b.weight()).put("state", b.state().wireName());
            }
        }
        byte[] bytes = Reply.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        writeAtomically(file, bytes);
    }

    /** Temp file in the same directory, fsync, atomic rename, fsync of the directory (so the rename is durable). */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename itself is still atomic.
            LOG.debug("cannot fsync directory {}: {}", dir, e.getMessage());
        }
        LOG.debug("wrote {} ({} bytes)", target, bytes.length);
    }
}
