package dev.sluice.core.balancer;

/**
 * The one fixed 64-bit hash every Sluice instance uses for consistent hashing, so that two instances with the
 * same backends build identical Maglev tables and send the same key to the same backend.
 *
 * <p>Definition (do not change it: every table in a fleet depends on it):
 * <pre>
 *   state = 0xcbf29ce484222325 XOR seed              (FNV-1a 64 offset basis, seeded)
 *   for each UTF-16 code unit c of the text:
 *       state = (state XOR c) * 0x100000001b3        (FNV-1a 64 step, whole code unit at once)
 *   hash = fmix64(state)                              (MurmurHash3's 64-bit finaliser)
 * </pre>
 * For ASCII and Latin-1 text this is byte-wise FNV-1a 64 with a seeded basis, followed by fmix64. The
 * finaliser matters: raw FNV-1a has weak high bits for short, similar strings such as {@code 10.0.0.1:80},
 * {@code 10.0.0.2:80}, and Maglev reduces the hash modulo a prime, so every bit must count.
 *
 * <p>Stateless and allocation-free; safe on any thread.
 */
final class StableHash {

    /** Seed for a backend's Maglev offset ({@code h1} in the paper). */
    static final long OFFSET_SEED = 0x9E3779B97F4A7C15L;
    /** Seed for a backend's Maglev skip ({@code h2} in the paper). */
    static final long SKIP_SEED = 0xC2B2AE3D27D4EB4FL;
    /** Seed for request keys (header, cookie, query, path values and client addresses). */
    static final long KEY_SEED = 0L;
    /** Seed for a table's fingerprint. */
    static final long FINGERPRINT_SEED = 0x165667B19E3779F9L;

    static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {
    }

    /** The hash of all of {@code text}. */
    static long hash(CharSequence text, long seed) {
        return hash(text, 0, text.length(), seed);
    }

    /** The hash of {@code text[start, end)}; reads the characters in place, so no substring is made. */
    static long hash(CharSequence text, int start, int end, long seed) {
        long state = FNV_OFFSET_BASIS ^ seed;
        for (int i = start; i < end; i++) {
            state = (state ^ text.charAt(i)) * FNV_PRIME;
        }
        return fmix64(state);
    }

    /** The hash of a 32-bit value, as if its four bytes (big-endian) were the text's code units. */
    static long hashInt(int value, long seed) {
        long state = FNV_OFFSET_BASIS ^ seed;
        state = (state ^ ((value >>> 24) & 0xFF)) * FNV_PRIME;
        state = (state ^ ((value >>> 16) & 0xFF)) * FNV_PRIME;
        state = (state ^ ((value >>> 8) & 0xFF)) * FNV_PRIME;
        state = (state ^ (value & 0xFF)) * FNV_PRIME;
        return fmix64(state);
    }

    /**
     * {@code hash mod m} with {@code hash} read as an unsigned 64-bit number, for {@code 0 < m < 2^62}.
     * Written out because the JDK 17 {@code Long.remainderUnsigned} allocates a BigInteger for half of all inputs.
     */
    static int mod(long hash, int m) {
        long q = ((hash >>> 1) / m) << 1; // floor(hash / m) or one less: hash - q*m lands in [0, 2m)
        long r = hash - q * m;
        return (int) (r >= m ? r - m : r);
    }

    /** The reciprocal {@link #mod(long, int, long)} needs for modulus {@code m}: floor((2^64 - 1) / m). */
    static long reciprocal(int m) {
        return Long.divideUnsigned(-1L, m);
    }

    /**
     * The same value as {@link #mod(long, int)}, by Barrett reduction: {@code q = high64(hash * reciprocal)} is
     * floor(hash / m) or one less, so one conditional subtraction finishes it. Why: a 64-bit division costs
     * 40 to 90 cycles, as much as the rest of a Maglev pick; two multiplications cost a few.
     */
    static int mod(long hash, int m, long reciprocal) {
        long q = unsignedMultiplyHigh(hash, reciprocal);
        long r = hash - q * m;
        return (int) (r >= m ? r - m : r);
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh arrives only in Java 18). */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** MurmurHash3's 64-bit finaliser: a bijection in which every input bit affects every output bit. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
