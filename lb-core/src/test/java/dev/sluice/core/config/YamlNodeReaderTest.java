package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class YamlNodeReaderTest {

    private static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlNodeReader.read("f.yaml", yaml));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldGiveEveryNodeAndKeyItsLineAndColumn() throws ConfigException {
        ConfigNode root = YamlNodeReader.read("f.yaml", """
                clusters:
                  - name: web
                    timeouts: { connect: 1s }
                """);
        assertEquals("f.yaml:1:1", root.position());
        assertEquals("f.yaml:1:1", root.keyNode("clusters").position());
        ConfigNode list = root.get("clusters");
        assertEquals(ConfigNode.Kind.LIST, list.kind());
        assertEquals("f.yaml:2:3", list.position());
        ConfigNode cluster = list.items().get(0);
        assertEquals("f.yaml:2:5", cluster.position());
        assertEquals("f.yaml:2:5", cluster.keyNode("name").position());
        assertEquals("f.yaml:2:11", cluster.get("name").position());
        ConfigNode timeouts = cluster.get("timeouts");
        assertEquals("f.yaml:3:15", timeouts.position());
        assertEquals("f.yaml:3:17", timeouts.keyNode("connect").position());
        assertEquals("f.yaml:3:26", timeouts.get("connect").position());
        assertEquals("1s", timeouts.get("connect").text());
    }

    @Test
    void shouldKeepScalarsAsWrittenInsteadOfGuessingTypes() throws ConfigException {
        ConfigNode root = YamlNodeReader.read("f.yaml", "on: yes\nhex: 0x10\nquoted: \"1\"\nfloat: 1.50\n");
        assertEquals("yes", root.get("on").text());
        assertEquals("0x10", root.get("hex").text());
        assertEquals("1", root.get("quoted").text());
        assertEquals("1.50", root.get("float").text());
    }

    @Test
    void shouldReadPlainNullsAsNullNodesButQuotedOnesAsText() throws ConfigException {
        ConfigNode root = YamlNodeReader.read("f.yaml", "a:\nb: ~\nc: null\nd: \"null\"\n");
        assertEquals(ConfigNode.Kind.NULL, root.get("a").kind());
        assertEquals(ConfigNode.Kind.NULL, root.get("b").kind());
        assertEquals(ConfigNode.Kind.NULL, root.get("c").kind());
        assertEquals(ConfigNode.Kind.SCALAR, root.get("d").kind());
        assertNull(root.get("a").text());
    }

    @Test
    void shouldReadAnEmptyDocumentAsANullNode() throws ConfigException {
        ConfigNode root = YamlNodeReader.read("f.yaml", "# only a comment\n");
        assertEquals(ConfigNode.Kind.NULL, root.kind());
        assertEquals("f.yaml:1:1", root.position());
    }

    @Test
    void shouldReportYamlSyntaxErrorAtItsMark() {
        assertEquals(List.of("f.yaml:2:2: bad YAML: expected ',' or ']', but got : (while parsing a flow sequence"
                + " that starts at line 1, column 4)"), errors("a: [1\nb: 2\n"));
        assertEquals(List.of("f.yaml:3:2: bad YAML: expected <block end>, but found '<block mapping start>'"
                + " (while parsing a block mapping that starts at line 1, column 1)"), errors("a:\n  b: 1\n c: 2\n"));
    }

    @Test
    void shouldReportTabIndentationAtTheTab() {
        assertEquals(List.of("f.yaml:2:1: bad YAML: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
                errors("a: 1\n\tb: 2\n"));
    }

    @Test
    void shouldTellToQuoteAnUnquotedWildcardHost() {
        assertEquals(List.of("f.yaml:1:12: bad YAML: a value that starts with '*' must be quoted, as in"
                + " \"*.example.com\" (a plain '*' starts an alias)"), errors("m: { host: *.example.com }\n"));
    }

    @Test
    void shouldRejectMoreThanOneDocument() {
        assertEquals(List.of("f.yaml:2:1: bad YAML: but found another document (expected a single document in the"
                + " stream that starts at line 1, column 1)"), errors("a: 1\n---\nb: 2\n"));
    }

    @Test
    void shouldReportEveryDuplicateKeyWithItsFirstPosition() {
        assertEquals(List.of(
                "f.yaml:3:1: duplicate key 'a' (first at line 1, column 1)",
                "f.yaml:4:11: duplicate key 'x' (first at line 4, column 5)"),
                errors("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n"));
    }

    @Test
    void shouldRejectKeysThatAreNotPlainNames() {
        assertEquals(List.of("f.yaml:1:3: a mapping key must be a plain name, found a list"), errors("? [a, b]\n: 1\n"));
        assertEquals(List.of("f.yaml:1:1: a mapping key must be a plain name, found an empty key"), errors("~: 1\n"));
    }

    @Test
    void shouldRejectTagsOutsideTheStandardScalarAndCollectionTags() throws ConfigException {
        assertEquals(List.of(
                "f.yaml:1:4: unsupported tag '!env': only plain YAML mappings, lists and scalars are accepted",
                "f.yaml:2:4: unsupported tag 'tag:yaml.org,2002:binary': only plain YAML mappings, lists and scalars"
                        + " are accepted"),
                errors("a: !env HOME\nb: !!binary aGk=\n"));
        assertEquals("5", YamlNodeReader.read("f.yaml", "a: !!str 5\n").get("a").text());
    }

    @Test
    void shouldExpandAliasesWithinTheBound() throws ConfigException {
        ConfigNode root = YamlNodeReader.read("f.yaml", "base: &b { connect: 1s }\ncopy: *b\n");
        assertEquals("1s", root.get("copy").get("connect").text());
        assertEquals("f.yaml:1:7", root.get("copy").position()); // an alias has the position of its anchor
    }

    @Test
    void shouldStopAliasExpansionBeforeItExplodes() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            yaml.append('a').append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        // fully expanded this is a billion nodes; reading stops at the bound and reports it once, at the node
        // (inside anchor a0) where expansion crossed it
        List<String> errors = errors(yaml.toString());
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("f.yaml:1:13: aliases expand to more than 10000 nodes; write the values out instead",
                errors.get(0));
    }

    @Test
    void shouldRejectRecursiveAlias() {
        assertEquals(List.of("f.yaml:1:7: recursive alias: a node cannot contain itself"), errors("loop: &l [1, *l]\n"));
    }
}
