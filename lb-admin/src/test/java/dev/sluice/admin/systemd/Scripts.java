package dev.sluice.admin.systemd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the repository's shell scripts and system tools from tests. Used by the test thread only. */
final class Scripts {

    /** Bounds a hung script in a failing test; the scripts finish in well under a second. */
    private static final long TIMEOUT_SECONDS = 120;

    /** The variables the scripts read: removed from the inherited environment so the host cannot leak in. */
    private static final List<String> SCRIPT_VARIABLES =
            List.of("DESTDIR", "JAVA_HOME", "SLUICE_JAVA", "SLUICE_JAVA_OPTS", "SLUICE_JAR");

    /** What a finished process left behind. */
    record Result(int exitCode, String output, long pid) {
        Result assertSuccess() {
            assertTrue(exitCode == 0, "exit code " + exitCode + ", output:\n" + output);
            return this;
        }
    }

    private Scripts() {
    }

    /** The checkout root: the nearest directory above the working directory that holds scripts/install.sh. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/install.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no scripts/install.sh above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code command} in the checkout root with {@code environment} added; stderr joins stdout. */
    static Result run(Map<String, String> environment, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot().toFile()).redirectErrorStream(true);
        SCRIPT_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within " + TIMEOUT_SECONDS + " s; output:\n" + output);
            }
            return new Result(process.exitValue(), output, process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** True when {@code tool} is an executable on PATH. */
    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Writes a minimal jar (a manifest only): the install scripts copy it, nothing runs it. */
    static Path dummyJar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            jar.flush();
        }
        return file;
    }

    /** Writes an executable shell script. */
    static Path executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The permission bits of {@code file}, as {@code ls} shows them (e.g. {@code rw-r-----}). */
    static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
