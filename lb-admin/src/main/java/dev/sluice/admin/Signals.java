package dev.sluice.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * POSIX signal handling: SIGTERM and SIGINT drain gracefully (exit 0 afterwards, not the JVM's 143), SIGHUP
 * reloads the config file. Handlers run on the JVM's signal dispatch thread; each hands off to its own
 * thread so a slow drain or reload never holds up the next signal.
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onStop(Runnable action) {
        handle("TERM", action);
        handle("INT", action);
    }

    static void onReload(Runnable action) {
        handle("HUP", action);
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), s -> {
                Thread t = new Thread(action, "sluice-signal-" + name.toLowerCase(java.util.Locale.ROOT));
                t.start();
            });
        } catch (IllegalArgumentException e) {
            // The JVM reserves some signals under some options (e.g. -Xrs); say so rather than fail to start.
            LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }
}
