package dev.sluice.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A corpus of raw HTTP messages kept as a text resource, one entry per line in TAB-separated columns, the last
 * of which holds the raw bytes with the escapes {@code \r \n \t \\ \xHH} (what {@code printf %b} reads), so the
 * same file can be replayed by a shell script against any server. Lines starting with '#' are comments.
 */
public final class RawCorpus {

    /** One entry: its name, the other columns as written, and the raw bytes of the last column. */
    public record Entry(String name, List<String> columns, byte[] raw) {
        @Override
        public String toString() {
            return name;
        }
    }

    private RawCorpus() {
    }

    /** Reads a corpus from the test class path; every entry must have {@code columns} columns. */
    public static List<Entry> load(String resource, int columns) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = RawCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing corpus resource " + resource);
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length != columns) {
                    throw new IOException(resource + ":" + (i + 1) + ": expected " + columns + " columns, got " + cols.length);
                }
                entries.add(new Entry(cols[0], List.of(cols).subList(1, columns - 1), unescape(cols[columns - 1])));
            }
        }
        return entries;
    }

    /** Decodes {@code \r \n \t \\ \xHH}; any other backslash sequence is an error in the corpus. */
    public static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }
}
