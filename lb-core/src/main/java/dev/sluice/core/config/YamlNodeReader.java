package dev.sluice.core.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.AnchorNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reads one YAML document into a {@link ConfigNode} tree in which every node and every mapping key carries its
 * 1-based line and column. Only the YAML a config needs is accepted: mappings, sequences and scalars.
 *
 * <p>Scalars keep their source text ({@code on}, {@code yes} and {@code 0x10} stay strings; typing is the
 * reader's job), except a plain {@code null}, {@code ~} or empty value, which becomes a
 * {@link ConfigNode.Kind#NULL} node. Duplicate keys, non-scalar or null keys, tags other than YAML's standard
 * scalar and collection tags, recursive aliases and alias expansion beyond {@value #MAX_ALIASED_NODES} nodes
 * (billion laughs) are errors. An empty document gives a NULL node at 1:1.
 *
 * <p>Stateless and thread-safe; runs off the event loops. Every problem is reported as a {@link ConfigError}
 * inside a {@link ConfigException}. A syntax error ends reading, so it is the only error reported; tree
 * errors (duplicates, tags) are all collected.
 */
public final class YamlNodeReader {

    /** Most nodes that alias expansion may add to the tree. */
    static final int MAX_ALIASED_NODES = 10_000;

    /** Longest document accepted, in code points. */
    static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

    private static final Set<Tag> ACCEPTED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
            Tag.TIMESTAMP, Tag.MERGE, Tag.SEQ, Tag.MAP);

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private int aliasedNodes;

    private YamlNodeReader(String file) {
        this.file = file;
    }

    /**
     * Parses {@code yamlText}; {@code fileName} is used only in positions.
     *
     * @throws ConfigException with every problem found, each at its {@code FILE:LINE:COLUMN}
     */
    public static ConfigNode read(String fileName, String yamlText) throws ConfigException {
        Node root = compose(fileName, yamlText);
        if (root == null) {
            return ConfigNode.scalar(fileName, 1, 1, null);
        }
        YamlNodeReader reader = new YamlNodeReader(fileName);
        ConfigNode tree = reader.convert(root, false);
        if (!reader.errors.isEmpty()) {
            throw new ConfigException(reader.errors);
        }
        return tree;
    }

    private static Node compose(String fileName, String yamlText) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        // the composer shares aliased nodes instead of copying them; expansion is bounded in convert(), with a position
        options.setMaxAliasesForCollections(MAX_ALIASED_NODES);
        try {
            Composer composer = new Composer(new ParserImpl(new StreamReader(yamlText), options), new Resolver(), options);
            return composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            throw new ConfigException(List.of(syntaxError(fileName, e)));
        } catch (YAMLException e) {
            // unmarked: limits of the YAML library itself, such as the document size
            throw new ConfigException(List.of(new ConfigError(fileName, 1, 1, "bad YAML: " + e.getMessage())));
        }
    }

    private static ConfigError syntaxError(String fileName, MarkedYAMLException e) {
        if ("while scanning an alias".equals(e.getContext()) && e.getContextMark() != null) {
            // the contract's wildcard hosts (*.example.com) hit this when left unquoted, so say what to do
            Mark star = e.getContextMark();
            return new ConfigError(fileName, star.getLine() + 1, star.getColumn() + 1, "bad YAML: a value that starts"
                    + " with '*' must be quoted, as in \"*.example.com\" (a plain '*' starts an alias)");
        }
        Mark problem = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        StringBuilder message = new StringBuilder("bad YAML: ").append(e.getProblem());
        Mark context = e.getContextMark();
        if (e.getContext() != null && context != null && problem != null
                && (context.getLine() != problem.getLine() || context.getColumn() != problem.getColumn())) {
            message.append(" (").append(e.getContext()).append(" that starts at line ").append(context.getLine() + 1)
                    .append(", column ").append(context.getColumn() + 1).append(')');
        } else if (e.getContext() != null) {
            message.append(" (").append(e.getContext()).append(')');
        }
        int line = problem == null ? 1 : problem.getLine() + 1;
        int column = problem == null ? 1 : problem.getColumn() + 1;
        return new ConfigError(fileName, line, column, message.toString());
    }

    /**
     * Converts one node. A node met a second time was reached through an alias; everything below it then counts
     * against {@link #MAX_ALIASED_NODES}, which bounds the tree whatever the nesting of aliases.
     */
    private ConfigNode convert(Node node, boolean viaAlias) {
        Node real = node instanceof AnchorNode anchor ? anchor.getRealNode() : node;
        boolean aliased = viaAlias || !seen.add(real);
        if (aliased && ++aliasedNodes > MAX_ALIASED_NODES) {
            // reported once; later aliased nodes stop here too, so the work stays bounded
            return aliasedNodes == MAX_ALIASED_NODES + 1
                    ? fail(real, "aliases expand to more than " + MAX_ALIASED_NODES
                            + " nodes; write the values out instead")
                    : ConfigNode.scalar(file, line(real), column(real), null);
        }
        if (!open.add(real)) {
            return fail(real, "recursive alias: a node cannot contain itself");
        }
        try {
            if (!ACCEPTED_TAGS.contains(real.getTag())) {
                return fail(real, "unsupported tag '" + real.getTag().getValue()
                        + "': only plain YAML mappings, lists and scalars are accepted");
            }
            if (real instanceof ScalarNode scalar) {
                return scalar(scalar);
            }
            if (real instanceof SequenceNode sequence) {
                return sequence(sequence, aliased);
            }
            return mapping((MappingNode) real, aliased);
        } finally {
            open.remove(real);
        }
    }

    private ConfigNode scalar(ScalarNode node) {
        String text = node.getTag().equals(Tag.NULL) ? null : node.getValue();
        return ConfigNode.scalar(file, line(node), column(node), text);
    }

    private ConfigNode sequence(SequenceNode node, boolean aliased) {
        List<ConfigNode> items = new ArrayList<>(node.getValue().size());
        for (Node item : node.getValue()) {
            items.add(convert(item, aliased));
        }
        return ConfigNode.list(file, line(node), column(node), items);
    }

    private ConfigNode mapping(MappingNode node, boolean aliased) {
        LinkedHashMap<String, ConfigNode> fields = new LinkedHashMap<>();
        LinkedHashMap<String, ConfigNode> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            ConfigNode key = convert(tuple.getKeyNode(), aliased);
            ConfigNode value = convert(tuple.getValueNode(), aliased);
            if (key.kind() != ConfigNode.Kind.SCALAR) {
                errors.add(ConfigError.at(key, "a mapping key must be a plain name, found "
                        + (key.kind() == ConfigNode.Kind.NULL ? "an empty key" : "a " + kindName(key))));
                continue;
            }
            ConfigNode first = keys.get(key.text());
            if (first != null) {
                errors.add(ConfigError.at(key, "duplicate key '" + key.text() + "' (first at line " + first.line()
                        + ", column " + first.column() + ")"));
                continue;
            }
            keys.put(key.text(), key);
            fields.put(key.text(), value);
        }
        return ConfigNode.map(file, line(node), column(node), fields, keys);
    }

    private ConfigNode fail(Node node, String message) {
        ConfigNode placeholder = ConfigNode.scalar(file, line(node), column(node), null);
        errors.add(ConfigError.at(placeholder, message));
        return placeholder;
    }

    private static String kindName(ConfigNode node) {
        return node.kind() == ConfigNode.Kind.LIST ? "list" : "mapping";
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private static int column(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getColumn() + 1;
    }
}
