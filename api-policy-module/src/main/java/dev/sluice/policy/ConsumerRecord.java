package dev.sluice.policy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A consumer as kept in the store: its plan and its live keys (id and SHA-256, never the key). Immutable.
 * Encoded as text lines, {@code plan <name>} then one {@code key <id> <sha256-hex>} per key, so that a store
 * can be read by eye; {@link #decode} rejects anything else.
 */
record ConsumerRecord(String plan, List<StoredKey> keys) {

    /** One live key. */
    record StoredKey(String id, byte[] sha256) {
    }

    private static final Pattern KEY_LINE = Pattern.compile("key [0-9a-f]{16} [0-9a-f]{64}");

    ConsumerRecord {
        keys = List.copyOf(keys);
    }

    String encode() {
        StringBuilder b = new StringBuilder("plan ").append(plan);
        for (StoredKey k : keys) {
            b.append("\nkey ").append(k.id()).append(' ').append(HexFormat.of().formatHex(k.sha256()));
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException when {@code text} is not a record this class wrote */
    static ConsumerRecord decode(String text) {
        String[] lines = text.split("\n", -1);
        if (!lines[0].startsWith("plan ") || lines[0].length() == 5) {
            throw new IllegalArgumentException("the record does not start with its plan");
        }
        List<StoredKey> keys = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!KEY_LINE.matcher(lines[i]).matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the record is not a key");
            }
            keys.add(new StoredKey(lines[i].substring(4, 20), HexFormat.of().parseHex(lines[i].substring(21))));
        }
        return new ConsumerRecord(lines[0].substring(5), keys);
    }
}
