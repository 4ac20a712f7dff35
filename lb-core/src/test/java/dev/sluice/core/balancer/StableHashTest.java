package dev.sluice.core.balancer;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class StableHashTest {

    @Test
    void shouldBeFnv1aFinalisedWithFmix64() {
        // Published FNV-1a 64 test vectors, unseeded.
        assertEquals(StableHash.fmix64(0xcbf29ce484222325L), StableHash.hash("", 0L));
        assertEquals(StableHash.fmix64(0xaf63dc4c8601ec8cL), StableHash.hash("a", 0L));
        assertEquals(StableHash.fmix64(0x85944171f73967e8L), StableHash.hash("foobar", 0L));
    }

    @Test
    void shouldMatchMurmur3Fmix64ReferenceValues() {
        assertEquals(0L, StableHash.fmix64(0L));
        assertEquals(0xb456bcfc34c2cb2cL, StableHash.fmix64(1L));
    }

    @Test
    void shouldHashARangeLikeTheSubstring() {
        String text = "xx/users/42?q=1";
        assertEquals(StableHash.hash("/users/42", 7L), StableHash.hash(text, 2, 11, 7L));
    }

    @Test
    void shouldHashAnIntLikeItsFourBytes() {
        String bytes = "" + (char) 192 + (char) 0 + (char) 2 + (char) 1;
        assertEquals(StableHash.hash(bytes, 3L), StableHash.hashInt(0xC0000201, 3L));
    }

    @Test
    void shouldGiveDifferentHashesForDifferentSeeds() {
        assertNotEquals(StableHash.hash("10.0.0.1:80", StableHash.OFFSET_SEED),
                StableHash.hash("10.0.0.1:80", StableHash.SKIP_SEED));
    }

    @Test
    void shouldReduceAsUnsigned64BitRemainder() {
        SplittableRandom random = new SplittableRandom(7);
        int[] moduli = {2, 7, 65536, 65537, 655373, 5_000_011};
        for (int i = 0; i < 100_000; i++) {
            long h = random.nextLong();
            int m = moduli[i % moduli.length];
            long expected = new BigInteger(Long.toUnsignedString(h)).mod(BigInteger.valueOf(m)).longValue();
            assertEquals(expected, StableHash.mod(h, m), () -> Long.toUnsignedString(h) + " mod " + m);
        }
        assertEquals(Long.remainderUnsigned(-1L, 65537), StableHash.mod(-1L, 65537));
    }

    @Test
    void shouldReduceWithoutDivisionToTheSameRemainder() {
        SplittableRandom random = new SplittableRandom(8);
        int[] moduli = {2, 3, 7, 65536, 65537, 655373, 5_000_011, Integer.MAX_VALUE};
        long[] edges = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, -2L};
        for (int m : moduli) {
            long reciprocal = StableHash.reciprocal(m);
            for (long h : edges) {
                assertEquals(StableHash.mod(h, m), StableHash.mod(h, m, reciprocal), Long.toUnsignedString(h) + " mod " + m);
            }
            for (int i = 0; i < 200_000; i++) {
                long h = random.nextLong();
                assertEquals(StableHash.mod(h, m), StableHash.mod(h, m, reciprocal));
                long near = (h >>> 1) / m * m * 2 + (i % 3) - 1; // next to multiples of m, where a bad quotient shows
                assertEquals(StableHash.mod(near, m), StableHash.mod(near, m, reciprocal));
            }
        }
    }
}
