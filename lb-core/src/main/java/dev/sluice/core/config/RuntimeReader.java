package dev.sluice.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reads the {@code runtime:} and {@code admin:} sections, applying the defaults of {@link RuntimeConfig#defaults()}
 * and {@link AdminConfig#defaults()}. Stateless; problems go to the caller's {@link ConfigProblems}.
 */
final class RuntimeReader {

    static final List<String> RUNTIME_KEYS = List.of("workers", "transport", "drain_timeout", "state_dir");
    static final List<String> ADMIN_KEYS = List.of("bind", "token_file");
    static final List<String> TRANSPORTS = List.of("auto", "io_uring", "epoll", "nio");
    static final int MAX_WORKERS = 1024;

    private RuntimeReader() {
    }

    /** The runtime section, or the defaults when {@code section} is {@code null}. */
    static RuntimeConfig runtime(MappingReader section) {
        RuntimeConfig defaults = RuntimeConfig.defaults();
        if (section == null) {
            return defaults;
        }
        int workers = workers(section, defaults.workers());
        String transport = section.text("transport", defaults.transport());
        if (!TRANSPORTS.contains(transport)) {
            section.problems().at(section.value("transport"), "unknown transport '" + transport + "': expected one of "
                    + String.join(", ", TRANSPORTS) + DidYouMean.hint(transport, TRANSPORTS));
            transport = defaults.transport();
        }
        Duration drain = section.duration("drain_timeout", defaults.drainTimeout(), false);
        Path stateDir = path(section, "state_dir", defaults.stateDir());
        return new RuntimeConfig(workers, transport, drain, stateDir);
    }

    /** {@code auto} (0, one loop per core) or 1..{@value #MAX_WORKERS}. */
    private static int workers(MappingReader section, int fallback) {
        String text = section.text("workers", null);
        if (text == null || text.trim().equals("auto")) {
            return fallback;
        }
        String digits = text.trim();
        if (digits.matches("\\d{1,4}")) { // at most 4 digits, so parseInt cannot fail
            int n = Integer.parseInt(digits);
            if (n >= 1 && n <= MAX_WORKERS) {
                return n;
            }
        }
        section.problems().at(section.value("workers"), "bad workers '" + text + "': expected auto or a number 1.."
                + MAX_WORKERS);
        return fallback;
    }

    /**
     * The admin section, or the defaults when {@code section} is {@code null}. Claims the admin bind address in
     * {@code binds}. A bind that is not loopback needs a {@code token_file}.
     */
    static AdminConfig admin(MappingReader section, BindConflicts binds) {
        AdminConfig defaults = AdminConfig.defaults();
        if (section == null) {
            binds.claim("the admin API", defaults.bind(), null);
            return defaults;
        }
        HostPort bind = address(section, "bind", defaults.bind());
        Path tokenFile = path(section, "token_file", null);
        ConfigNode bindNode = section.has("bind") ? section.value("bind") : section.node();
        if (!bind.isLoopback() && tokenFile == null && !section.has("token_file")) {
            section.problems().at(bindNode, "admin bind " + bind + " is not a loopback address, so token_file is"
                    + " required: without a token anyone who can reach it can change the config");
        }
        binds.claim("the admin API", bind, bindNode);
        return new AdminConfig(bind, tokenFile);
    }

    /** A listen address ({@code host:port}, port 0 allowed); {@code fallback} after reporting a bad one. */
    static HostPort address(MappingReader section, String key, HostPort fallback) {
        String text = section.text(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            section.problems().at(section.value(key), e.getMessage());
            return fallback;
        }
    }

    private static Path path(MappingReader section, String key, Path fallback) {
        String text = section.text(key, null);
        if (text == null) {
            return fallback;
        }
        if (text.isBlank()) {
            section.problems().at(section.value(key), key + " must not be empty: expected a file system path");
            return fallback;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            section.problems().at(section.value(key), "bad path '" + text + "': " + e.getReason());
            return fallback;
        }
    }
}
