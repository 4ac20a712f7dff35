package dev.sluice.admin.systemd;

import java.util.Map;
import java.util.Optional;

/**
 * What systemd told this process through its environment, as {@code sd_notify(3)} and
 * {@code sd_watchdog_enabled(3)} read it. Immutable.
 *
 * @param socket       where to send state messages; empty when {@code NOTIFY_SOCKET} is unset or empty
 * @param watchdogUsec the watchdog timeout in microseconds, or 0 when the watchdog is off: {@code WATCHDOG_USEC}
 *                     unset, or {@code WATCHDOG_PID} naming another process
 */
record NotifyEnvironment(Optional<NotifySocket> socket, long watchdogUsec) {

    static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    static final String WATCHDOG_PID = "WATCHDOG_PID";

    /**
     * Reads the three variables.
     *
     * @param environment the process environment, e.g. {@link System#getenv()}
     * @param ownPid      this process's id, compared with {@code WATCHDOG_PID}
     * @throws IllegalArgumentException when a variable is set but malformed; the message names it and its value
     */
    static NotifyEnvironment parse(Map<String, String> environment, long ownPid) {
        String socketText = environment.get(NOTIFY_SOCKET);
        Optional<NotifySocket> socket = socketText == null || socketText.isEmpty()
                ? Optional.empty()
                : Optional.of(NotifySocket.parse(socketText));
        long watchdogUsec = positiveLong(environment, WATCHDOG_USEC);
        long watchdogPid = positiveLong(environment, WATCHDOG_PID);
        if (watchdogPid != 0 && watchdogPid != ownPid) {
            watchdogUsec = 0; // the watchdog belongs to another process (e.g. our parent); not ours to feed
        }
        return new NotifyEnvironment(socket, watchdogUsec);
    }

    private static long positiveLong(Map<String, String> environment, String name) {
        String text = environment.get(name);
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + text + ": not a positive integer", e);
        }
        throw new IllegalArgumentException(name + "=" + text + ": not a positive integer");
    }
}
