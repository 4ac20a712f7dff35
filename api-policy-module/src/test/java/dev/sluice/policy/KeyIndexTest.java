package dev.sluice.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class KeyIndexTest {

    static byte[] hash(int prefix, int last) {
        byte[] h = new byte[32];
        h[0] = (byte) prefix;
        h[31] = (byte) last;
        return h;
    }

    @Test
    void shouldTellApartHashesThatShareTheirPrefixAndDifferOnlyInTheLastByte() {
        List<KeyIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(new KeyIndex.Entry(hash(7, i), null, "k" + i, false)); // one slot, then probing
        }
        KeyIndex index = new KeyIndex(entries);
        for (int i = 0; i < 5; i++) {
            assertSame(entries.get(i), index.find(hash(7, i)));
        }
        assertNull(index.find(hash(7, 5)));
        assertNull(index.find(hash(8, 0)));
        byte[] middle = hash(7, 0);
        middle[15] = 1;
        assertNull(index.find(middle), "a difference in any word counts");
    }

    @Test
    void shouldFindNothingInTheEmptyIndex() {
        assertNull(KeyIndex.EMPTY.find(hash(0, 0)));
    }
}
