package dev.sluice.admin.systemd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /usr/bin/sluice (scripts/sluice-installed.sh), run with a stand-in java that prints its process id and
 * arguments, so the tests see exactly what the JVM would be started with.
 */
class InstalledLauncherTest {

    private static final String LAUNCHER = "scripts/sluice-installed.sh";
    private static final String FAKE_JAVA = "#!/bin/sh\necho \"pid=$$\"\nfor arg in \"$@\"; do echo \"arg=$arg\"; done\n";

    @TempDir
    Path work;

    private Path jar;
    private Path java;

    @BeforeEach
    void stage() throws IOException {
        jar = Scripts.dummyJar(work.resolve("sluice.jar"));
        java = Scripts.executable(work.resolve("java"), FAKE_JAVA);
    }

    private static List<String> lines(String output, String prefix) {
        return output.lines().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .toList();
    }

    @Test
    void shouldExecJavaWithTheOptionsTheJarAndTheArgumentsUnchanged() {
        Scripts.Result result = Scripts.run(
                Map.of("SLUICE_JAVA", java.toString(), "SLUICE_JAR", jar.toString(),
                        "SLUICE_JAVA_OPTS", "-Xmx64m  -Dsluice.glob=*"),
                List.of(LAUNCHER, "run", "--config", "/etc/sluice/my config.yaml")).assertSuccess();

        assertEquals(List.of("-Xmx64m", "-Dsluice.glob=*", "-jar", jar.toString(),
                "run", "--config", "/etc/sluice/my config.yaml"), lines(result.output(), "arg="));
        // exec: java replaced the shell instead of running as its child, so under systemd it is the main PID.
        assertEquals(List.of(Long.toString(result.pid())), lines(result.output(), "pid="));
    }

    @Test
    void shouldUseJavaHomeWhenNoJavaIsNamed() throws IOException {
        Path home = work.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Scripts.executable(home.resolve("bin/java"), FAKE_JAVA);
        Scripts.Result result = Scripts.run(
                Map.of("JAVA_HOME", home.toString(), "SLUICE_JAR", jar.toString(), "SLUICE_JAVA_OPTS", ""),
                List.of(LAUNCHER, "version")).assertSuccess();
        assertEquals(List.of("-jar", jar.toString(), "version"), lines(result.output(), "arg="));
    }

    @Test
    void shouldExplainAMissingJavaOrJar() {
        Scripts.Result noJava = Scripts.run(Map.of("SLUICE_JAVA", work.resolve("nowhere/java").toString(),
                "SLUICE_JAR", jar.toString(), "SLUICE_JAVA_OPTS", ""), List.of(LAUNCHER, "version"));
        assertEquals(1, noJava.exitCode());
        assertTrue(noJava.output().contains("is not an executable Java runtime"), noJava.output());

        Scripts.Result noJar = Scripts.run(Map.of("SLUICE_JAVA", java.toString(),
                "SLUICE_JAR", work.resolve("missing.jar").toString(), "SLUICE_JAVA_OPTS", ""),
                List.of(LAUNCHER, "version"));
        assertEquals(1, noJar.exitCode());
        assertTrue(noJar.output().contains("missing.jar is missing or unreadable"), noJar.output());
    }
}
