package dev.sluice.admin;

import dev.sluice.core.config.ConfigError;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.transport.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code sluice} command line: {@code run}, {@code validate} and {@code version}.
 *
 * <p>Exit codes (CONTRACT.md section 1): 0 success, 2 usage or configuration error (with a message saying
 * what and where), 1 runtime failure.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Launcher.VersionProvider.class,
        description = "A thread-per-core L7 load balancer.",
        subcommands = {Launcher.Run.class, Launcher.Validate.class, Launcher.Version.class})
public final class Launcher implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Launcher());
        cli.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("sluice: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_CONFIG;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return EXIT_CONFIG;
    }

    /** The version of this build, from the jar's resources. */
    public static String version() {
        try (InputStream in = Launcher.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Loads a config file, printing one {@code FILE:LINE:COLUMN: message} line per problem. */
    static SluiceConfig loadOrReport(Path file, PrintStream err) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return null;
        }
    }

    @Command(name = "run", description = "Start Sluice in the foreground; without --config, the embedded demo.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The config file (YAML).")
        Path config;

        @Override
        public Integer call() {
            return SluiceService.runUntilStopped(config);
        }
    }

    @Command(name = "validate", description = "Check a config file; exit 0 when valid, 2 with one line per problem.")
    static final class Validate implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", required = true, description = "The config file (YAML).")
        Path config;

        @Override
        public Integer call() {
            SluiceConfig loaded = loadOrReport(config, System.err);
            if (loaded == null) {
                return EXIT_CONFIG;
            }
            System.out.println(config + ": valid (" + loaded.listeners().size() + " listener(s), "
                    + loaded.clusters().size() + " cluster(s))");
            return EXIT_OK;
        }
    }

    @Command(name = "version", description = "Print the version, the Java runtime and the transports available here.")
    static final class Version implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("sluice " + version());
            System.out.println("java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")");
            StringBuilder transports = new StringBuilder();
            for (Transport t : Transport.values()) {
                if (transports.length() > 0) {
                    transports.append(", ");
                }
                transports.append(t.configName()).append(t.isAvailable() ? "" : " (unavailable: " + t.unavailabilityReason() + ")");
            }
            System.out.println("transports: " + transports);
            System.out.println("default transport: " + Transport.select("auto").configName());
            return EXIT_OK;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sluice " + version()};
        }
    }
}
