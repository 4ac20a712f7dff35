package dev.sluice.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Sluice config file (CONTRACT.md section 3) into a validated, immutable {@link SluiceConfig}.
 *
 * <p>Contract: either a config in which every value is valid and every default is applied, or a
 * {@link ConfigException} carrying <em>every</em> problem found, in file order, each printed as
 * {@code FILE:LINE:COLUMN: message} with the position of the offending key or value. A YAML syntax error stops
 * reading, so it is reported alone.
 *
 * <p>Top-level keys other than {@code runtime}, {@code admin}, {@code listeners} and {@code clusters} belong to
 * filter providers found through {@link java.util.ServiceLoader} ({@code HttpFilterProvider.section()});
 * a key no provider claims is an unknown key. Once the core sections are valid, each claimed section is passed
 * to its provider's {@code validate} together with the core config (without extensions), and the section node
 * is kept in {@link SluiceConfig#extensions()}.
 *
 * <p>Normalisation: route match hosts and header names are stored in lower case. Balancer names come from
 * {@code PickerFactories.names()} at the time of the call.
 *
 * <p>Threading: stateless and thread-safe; reads files and may scan the class path, so call it off the event
 * loops (startup, reload, {@code sluice validate}).
 */
public final class ConfigLoader {

    static final List<String> CORE_SECTIONS = List.of("runtime", "admin", "listeners", "clusters");

    private ConfigLoader() {
    }

    /**
     * Reads and validates the config file at {@code file} (UTF-8). Positions name the file as given; the result's
     * {@link SluiceConfig#source()} is {@code file}.
     *
     * @throws ConfigException every problem found; an unreadable file gives {@code FILE:1:1: cannot read ...}
     */
    public static SluiceConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigException(List.of(new ConfigError(name, 1, 1, "cannot read the config file: it is a"
                        + " directory")));
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw cannotRead(name, "no such file", e);
        } catch (AccessDeniedException e) {
            throw cannotRead(name, "permission denied", e);
        } catch (CharacterCodingException e) {
            throw cannotRead(name, "it is not UTF-8 text", e);
        } catch (IOException e) {
            throw cannotRead(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        return parse(name, text, file, ConfigCatalog.installed());
    }

    /**
     * Parses and validates {@code yamlText}; {@code fileName} is used only in positions. The result's
     * {@link SluiceConfig#source()} is {@code null}.
     *
     * @throws ConfigException every problem found
     */
    public static SluiceConfig parse(String fileName, String yamlText) throws ConfigException {
        return parse(fileName, yamlText, null, ConfigCatalog.installed());
    }

    /** {@link #parse(String, String)} against an explicit catalog of balancers and filter providers. */
    static SluiceConfig parse(String fileName, String yamlText, Path source, ConfigCatalog catalog)
            throws ConfigException {
        ConfigNode root = YamlNodeReader.read(fileName, yamlText);
        if (root.kind() == ConfigNode.Kind.NULL) {
            throw new ConfigException(List.of(ConfigError.at(root,
                    "the config is empty: expected at least the listeners: and clusters: sections")));
        }
        ConfigProblems problems = new ConfigProblems();
        ExtensionSections extensionSections = new ExtensionSections(catalog.providers());
        List<String> topKeys = new ArrayList<>(CORE_SECTIONS);
        topKeys.addAll(extensionSections.names());
        MappingReader top = MappingReader.of(root, "the config", "at the top level", problems, topKeys);
        if (top == null) {
            throw new ConfigException(problems.sorted());
        }
        SluiceConfig core = readCore(top, source, catalog);
        Map<String, ConfigNode> extensions = extensionSections.collect(root, problems);
        if (problems.isEmpty()) { // providers may rely on the core being valid (e.g. clusters they name exist)
            extensionSections.validate(extensions, core, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return new SluiceConfig(source, core.runtime(), core.admin(), core.listeners(), core.clusters(), extensions);
    }

    /** The runtime, admin, clusters and listeners sections; clusters first, so routes can be checked against them. */
    private static SluiceConfig readCore(MappingReader top, Path source, ConfigCatalog catalog) {
        ConfigProblems problems = top.problems();
        BindConflicts binds = new BindConflicts(problems);
        RuntimeConfig runtime = RuntimeReader.runtime(top.mapping("runtime", "in runtime", RuntimeReader.RUNTIME_KEYS));
        AdminConfig admin = RuntimeReader.admin(top.mapping("admin", "in admin", RuntimeReader.ADMIN_KEYS), binds);
        List<ConfigNode> clusterItems = top.list("clusters");
        List<ClusterConfig> clusters = clusterItems == null ? List.of()
                : new ClustersReader(problems, catalog.balancers()).read(clusterItems);
        List<String> clusterNames = clusters.stream().map(ClusterConfig::name).toList();
        List<ConfigNode> listenerItems = top.list("listeners");
        List<ListenerConfig> listeners = listenerItems == null ? List.of()
                : new ListenersReader(problems, binds, clusterNames).read(listenerItems);
        return new SluiceConfig(source, runtime, admin, listeners, clusters, Map.of());
    }

    private static ConfigException cannotRead(String name, String reason, IOException cause) {
        ConfigError error = new ConfigError(name, 1, 1, "cannot read the config file: " + reason);
        ConfigException e = new ConfigException(List.of(error));
        e.initCause(cause);
        return e;
    }
}
