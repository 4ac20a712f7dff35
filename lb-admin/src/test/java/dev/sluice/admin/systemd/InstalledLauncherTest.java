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

    /** A JDK at {@code work/name} whose release file gives {@code javaVersion}, with the stand-in java. */
    private Path jdk(String name, String javaVersion) throws IOException {
        Path home = work.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + javaVersion + "\"\n");
        return Scripts.executable(home.resolve("bin/java"), FAKE_JAVA);
    }

    private List<String> javaArguments(Path javaBin, String options) {
        return lines(Scripts.run(Map.of("SLUICE_JAVA", javaBin.toString(), "SLUICE_JAR", jar.toString(),
                "SLUICE_JAVA_OPTS", options), List.of(LAUNCHER, "version")).assertSuccess().output(), "arg=");
    }

    @Test
    void shouldAllowUnsafeMemoryAccessFromJava23OnUnlessTheOptionsSayOtherwise() throws IOException {
        assertEquals(List.of("-Xmx64m", "--sun-misc-unsafe-memory-access=allow", "-jar", jar.toString(), "version"),
                javaArguments(jdk("jdk25", "25.0.3"), "-Xmx64m"));
        assertEquals(List.of("--sun-misc-unsafe-memory-access=allow", "-jar", jar.toString(), "version"),
                javaArguments(jdk("jdk23", "23"), ""));
        assertEquals(List.of("-Xmx64m", "-jar", jar.toString(), "version"),
                javaArguments(jdk("jdk17", "17.0.15"), "-Xmx64m"), "Java 17 does not know the option");
        assertEquals(List.of("--sun-misc-unsafe-memory-access=warn", "-jar", jar.toString(), "version"),
                javaArguments(jdk("jdk25b", "25.0.3"), "--sun-misc-unsafe-memory-access=warn"),
                "an operator's own setting is kept, not doubled");
    }

    @Test
    void shouldPrintTheJavaOptionsInsteadOfStartingJavaWhenAsked() throws IOException {
        Scripts.Result result = Scripts.run(Map.of("SLUICE_JAVA", jdk("jdk25", "25.0.3").toString(),
                "SLUICE_JAR", jar.toString(), "SLUICE_JAVA_OPTS", "-Xmx64m\n  -Dsluice.glob=*",
                "SLUICE_PRINT_JAVA_OPTIONS", "1"), List.of(LAUNCHER, "run")).assertSuccess();

        assertEquals(List.of("-Xmx64m -Dsluice.glob=* --sun-misc-unsafe-memory-access=allow"),
                result.output().lines().toList(), "one line, the version-dependent option added, and no java run");
    }

    @Test
    void shouldAskJavaItsVersionWhenItsJdkHasNoReleaseFile() throws IOException {
        String versionedJava = "#!/bin/sh\nif [ \"$1\" = -version ]; then\n"
                + "  echo 'openjdk version \"24.0.1\" 2025-04-15' >&2; exit 0\nfi\n"
                + "for arg in \"$@\"; do echo \"arg=$arg\"; done\n";
        Files.createDirectories(work.resolve("bare/bin"));
        Path java24 = Scripts.executable(work.resolve("bare/bin/java"), versionedJava);
        assertEquals(List.of("--sun-misc-unsafe-memory-access=allow", "-jar", jar.toString(), "version"),
                javaArguments(java24, ""));
        assertEquals(List.of("-jar", jar.toString(), "version"), javaArguments(java, ""),
                "a java that tells no version gets no version-dependent option");
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
