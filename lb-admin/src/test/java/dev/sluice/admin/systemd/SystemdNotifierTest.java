package dev.sluice.admin.systemd;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SystemdNotifierTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsUnixDatagramSockets() {
        assumeTrue(Epoll.isAvailable(), "unix datagram sockets come from the native epoll transport (Linux only)");
    }

    private Path socketPath() {
        return dir.resolve("notify.sock");
    }

    private SystemdNotifier notifierFor(Path socket) {
        return SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()));
    }

    @Test
    void shouldSendReadyWithStatus() throws Exception {
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()));
             SystemdNotifier notifier = notifierFor(socketPath())) {
            assertTrue(notifier.isEnabled());
            notifier.ready("serving 1 listener on 2 loops");
            assertEquals("READY=1\nSTATUS=serving 1 listener on 2 loops", systemd.next());
        }
    }

    @Test
    void shouldSendReloadingWithMonotonicTimeThenReady() throws Exception {
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()));
             SystemdNotifier notifier = notifierFor(socketPath())) {
            long before = System.nanoTime() / 1000;
            notifier.reloading();
            long after = System.nanoTime() / 1000;
            notifier.ready("config version 2");

            String[] reloading = systemd.next().split("\n");
            assertEquals("RELOADING=1", reloading[0]);
            assertTrue(reloading[1].startsWith("MONOTONIC_USEC="), reloading[1]);
            long usec = Long.parseLong(reloading[1].substring("MONOTONIC_USEC=".length()));
            assertTrue(before <= usec && usec <= after, before + " <= " + usec + " <= " + after);
            assertEquals("READY=1\nSTATUS=config version 2", systemd.next());
        }
    }

    @Test
    void shouldSendStatusAndStoppingInOrder() throws Exception {
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()));
             SystemdNotifier notifier = notifierFor(socketPath())) {
            notifier.status("draining 12 connections");
            notifier.stopping();
            assertEquals("STATUS=draining 12 connections", systemd.next());
            assertEquals("STOPPING=1", systemd.next());
        }
    }

    @Test
    void shouldKeepStatusOnOneLineSoItCannotInjectAssignments() throws Exception {
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()));
             SystemdNotifier notifier = notifierFor(socketPath())) {
            notifier.status("bad config\nREADY=1\r\nSTOPPING=1");
            assertEquals("STATUS=bad config READY=1  STOPPING=1", systemd.next());
        }
    }

    @Test
    void shouldReachAnAbstractNamespaceSocket() throws Exception {
        String name = "sluice-test-" + UUID.randomUUID();
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress('\0' + name));
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
            // The kernel lists abstract names with a leading '@': proof the test socket is not a file named "\0...".
            assertTrue(boundUnixNames().contains("@" + name), "abstract socket @" + name + " not in /proc/net/unix");
            notifier.ready("abstract");
            assertEquals("READY=1\nSTATUS=abstract", systemd.next());
        }
    }

    @Test
    void shouldDoNothingWithoutNotifySocket() {
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"))) {
            assertFalse(notifier.isEnabled());
            notifier.ready("ignored");
            notifier.reloading();
            notifier.status("ignored");
            notifier.stopping();
            Watchdog watchdog = notifier.startWatchdog(List.of());
            assertFalse(watchdog.isEnabled());
            assertEquals(0, watchdog.intervalMicros());
        }
    }

    @Test
    void shouldTreatAnEmptyNotifySocketAsUnset() {
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", ""))) {
            assertFalse(notifier.isEnabled());
        }
    }

    @Test
    void shouldRejectNotifySocketsItCannotReach() {
        for (String value : List.of("vsock:2:1234", "run/notify", "@")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", value)));
            assertTrue(e.getMessage().startsWith("NOTIFY_SOCKET=" + value + ":"), e.getMessage());
        }
        String tooLong = "/" + "x".repeat(107);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", tooLong)));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void shouldFailAtStartupWhenTheSocketIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> notifierFor(socketPath()));
        assertTrue(e.getMessage().contains("NOTIFY_SOCKET=" + socketPath()), e.getMessage());
    }

    @Test
    void shouldRejectAMalformedWatchdogTimeout() throws Exception {
        try (NotifySocketReceiver ignored = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()))) {
            for (String value : List.of("30s", "0", "-5")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> SystemdNotifier.fromEnvironment(
                                Map.of("NOTIFY_SOCKET", socketPath().toString(), "WATCHDOG_USEC", value)));
                assertEquals("WATCHDOG_USEC=" + value + ": not a positive integer", e.getMessage());
            }
        }
    }

    @Test
    void shouldLeaveTheWatchdogOfAnotherProcessAlone() throws Exception {
        long otherPid = ProcessHandle.current().pid() + 1;
        try (NotifySocketReceiver ignored = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()));
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socketPath().toString(),
                     "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(otherPid)))) {
            assertTrue(notifier.isEnabled());
            assertFalse(notifier.startWatchdog(List.of()).isEnabled());
        }
    }

    @Test
    void shouldIgnoreCallsAfterClose() throws Exception {
        try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(new DomainSocketAddress(socketPath().toFile()))) {
            SystemdNotifier notifier = notifierFor(socketPath());
            notifier.stopping();
            notifier.close();
            notifier.close();
            notifier.status("after close");
            assertEquals("STOPPING=1", systemd.next()); // handed over before close(), so delivered
            assertThrows(IllegalStateException.class, () -> notifier.startWatchdog(List.of()));
        }
    }

    private static List<String> boundUnixNames() throws IOException {
        // Format: Num RefCount Protocol Flags Type St Inode Path; the path column is absent for unnamed sockets.
        return Files.readAllLines(Path.of("/proc/net/unix")).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length >= 8)
                .map(fields -> fields[7])
                .toList();
    }
}
