package dev.sluice.admin.systemd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The staged install: scripts/install.sh and scripts/uninstall.sh with DESTDIR, on a dummy jar. */
class InstallScriptTest {

    /** Every file the install creates, its mode, and the checkout file it comes from. */
    private static final List<String[]> INSTALLED = List.of(
            new String[] {"usr/bin/sluice", "rwxr-xr-x", "scripts/sluice-installed.sh"},
            new String[] {"usr/lib/sluice/sluice.jar", "rw-r--r--", null},
            new String[] {"usr/lib/systemd/system/sluice.service", "rw-r--r--", "systemd/sluice.service"},
            new String[] {"usr/lib/sysusers.d/sluice.conf", "rw-r--r--", "systemd/sluice.sysusers"},
            new String[] {"usr/lib/tmpfiles.d/sluice.conf", "rw-r--r--", "systemd/sluice.tmpfiles"},
            new String[] {"etc/sluice/sluice.yaml", "rw-r-----", "systemd/sluice.yaml"},
            new String[] {"etc/sluice/sluice.env", "rw-r-----", "systemd/sluice.env"});

    @TempDir
    Path work;

    private Path root;
    private Path jar;

    @BeforeEach
    void stage() throws IOException {
        root = work.resolve("root");
        jar = Scripts.dummyJar(work.resolve("dummy.jar"));
    }

    private Scripts.Result install() {
        return Scripts.run(Map.of("DESTDIR", root.toString()), List.of("scripts/install.sh", "--jar", jar.toString()));
    }

    private Scripts.Result uninstall(String... options) {
        return Scripts.run(Map.of("DESTDIR", root.toString()),
                Stream.concat(Stream.of("scripts/uninstall.sh"), Stream.of(options)).toList());
    }

    @Test
    void shouldInstallEveryFileWithItsModeUnderDestdir() throws IOException {
        String output = install().assertSuccess().output();
        Path repo = Scripts.repoRoot();
        for (String[] file : INSTALLED) {
            Path installed = root.resolve(file[0]);
            assertTrue(Files.isRegularFile(installed), file[0] + " missing; output:\n" + output);
            assertEquals(file[1], Scripts.mode(installed), file[0]);
            Path source = file[2] == null ? jar : repo.resolve(file[2]);
            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(installed), file[0]);
        }
        assertEquals("rwxr-x---", Scripts.mode(root.resolve("etc/sluice")));
        assertEquals("rwxr-xr-x", Scripts.mode(root.resolve("usr/lib/sluice")));
        assertTrue(output.contains("staged install under " + root), output);
        assertFalse(output.contains("systemctl"), "a staged install must not touch the system:\n" + output);
    }

    @Test
    void shouldReinstallWithoutTouchingLocalConfig() throws IOException {
        install().assertSuccess();
        Path config = root.resolve("etc/sluice/sluice.yaml");
        Path env = root.resolve("etc/sluice/sluice.env");
        Files.writeString(config, "# edited by the operator\n");
        Files.writeString(env, "SLUICE_JAVA_OPTS=\"-Xmx2g\"\n");
        Files.write(jar, new byte[] {'P', 'K', 5, 6}); // a "new version" of the program

        String output = install().assertSuccess().output();

        assertEquals("# edited by the operator\n", Files.readString(config));
        assertEquals("SLUICE_JAVA_OPTS=\"-Xmx2g\"\n", Files.readString(env));
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(root.resolve("usr/lib/sluice/sluice.jar")));
        assertTrue(output.contains("kept existing /etc/sluice/sluice.yaml"), output);
        assertTrue(output.contains("kept existing /etc/sluice/sluice.env"), output);
        try (Stream<Path> files = Files.list(root.resolve("usr/lib/sluice"))) {
            assertEquals(List.of(root.resolve("usr/lib/sluice/sluice.jar")), files.toList(), "no temporary left");
        }
    }

    @Test
    void shouldUninstallProgramFilesAndKeepConfigUnlessPurged() throws IOException {
        install().assertSuccess();
        uninstall().assertSuccess();
        for (String[] file : INSTALLED) {
            assertEquals(file[0].startsWith("etc/"), Files.exists(root.resolve(file[0])), file[0]);
        }
        assertFalse(Files.exists(root.resolve("usr/lib/sluice")));

        uninstall().assertSuccess(); // nothing left to remove is not an error
        String output = uninstall("--purge").assertSuccess().output();
        assertFalse(Files.exists(root.resolve("etc/sluice")));
        assertTrue(output.contains("purged /etc/sluice"), output);
    }

    @Test
    void shouldRejectUnknownOptions() {
        Scripts.Result result = Scripts.run(Map.of("DESTDIR", root.toString()), List.of("scripts/install.sh", "--bogus"));
        assertEquals(2, result.exitCode());
        assertTrue(result.output().contains("unknown argument: --bogus"), result.output());
        assertEquals(2, uninstall("--bogus").exitCode());
        assertFalse(Files.exists(root));
    }

    @Test
    void shouldPassSystemdVerificationAndKeepItsSecurityExposureLow() throws IOException {
        assumeTrue(Scripts.onPath("systemd-analyze"), "systemd-analyze is not installed here");
        // verify resolves the unit's dependencies (sysinit.target, network-online.target, ...) and its commands
        // (/usr/bin/sluice, /bin/kill) inside --root, as in a real image: give the staged root the host's
        // systemd units and kill first, then install on top.
        Path units = Files.isDirectory(Path.of("/usr/lib/systemd/system"))
                ? Path.of("/usr/lib/systemd/system") : Path.of("/lib/systemd/system");
        Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Files.createDirectories(root.resolve("bin"));
        Scripts.run(Map.of(), List.of("cp", "-a", units + "/.", root.resolve("usr/lib/systemd/system") + "/"))
                .assertSuccess();
        Files.copy(Path.of("/bin/kill").toRealPath(), root.resolve("bin/kill"));
        install().assertSuccess();

        Scripts.Result verify = Scripts.run(Map.of(),
                List.of("systemd-analyze", "verify", "--root=" + root, "sluice.service")).assertSuccess();
        // Unknown or malformed settings are only warnings (exit 0): the unit is clean only when nothing is printed.
        assertEquals("", verify.output());

        // 2.0 on the 0-10 scale ("OK"); --threshold counts in tenths.
        Scripts.run(Map.of(), List.of("systemd-analyze", "security", "--offline=yes", "--root=" + root,
                "--threshold=20", "--no-pager", "sluice.service")).assertSuccess();
    }

    @Test
    void shouldCreateTheUserAndDirectoriesTheUnitNeeds() throws IOException {
        assumeTrue(Scripts.onPath("systemd-sysusers") && Scripts.onPath("systemd-tmpfiles"),
                "systemd-sysusers or systemd-tmpfiles is not installed here");
        assumeTrue("root".equals(System.getProperty("user.name")), "changing file ownership needs root");
        install().assertSuccess();

        // Both tools work on the staged root only; this is what happens on the host after a real install.
        Scripts.run(Map.of(), List.of("systemd-sysusers", "--root=" + root)).assertSuccess();
        Scripts.run(Map.of(), List.of("systemd-tmpfiles", "--root=" + root, "--create")).assertSuccess();

        String passwd = Files.readString(root.resolve("etc/passwd"));
        String entry = passwd.lines().filter(line -> line.startsWith("sluice:")).findFirst().orElseThrow(
                () -> new AssertionError("no sluice user in\n" + passwd));
        String[] fields = entry.split(":");
        int uid = Integer.parseInt(fields[2]);
        int gid = Integer.parseInt(fields[3]);
        assertEquals("/var/lib/sluice", fields[5]);

        Path state = root.resolve("var/lib/sluice");
        assertEquals("rwxr-x---", Scripts.mode(state));
        assertEquals(uid, Files.getAttribute(state, "unix:uid"));
        assertEquals(gid, Files.getAttribute(state, "unix:gid"));
        for (String config : List.of("etc/sluice", "etc/sluice/sluice.yaml", "etc/sluice/sluice.env")) {
            assertEquals(0, Files.getAttribute(root.resolve(config), "unix:uid"), config + " owned by root");
            assertEquals(gid, Files.getAttribute(root.resolve(config), "unix:gid"), config + " readable by sluice");
        }
    }
}
