package dev.sluice.core.config;

/**
 * The rules for a Maglev lookup table size M: prime (so every backend's skip walks all slots), more than 100 times
 * the number of backends (so the table stays balanced, as the Maglev paper advises) and at most {@value #MAX}
 * (the table is built off the loops, but must stay quick to build and small in memory). Stateless.
 */
final class MaglevTableSize {

    /** The largest table size accepted. */
    static final int MAX = 5_000_011;

    private MaglevTableSize() {
    }

    /**
     * Reports at {@code maglev_table_size} (or at {@code balancer} when the size is the default) if {@code size}
     * breaks a rule for a cluster of {@code backends} backends.
     */
    static void check(MappingReader cluster, int size, int backends) {
        ConfigNode at = cluster.has("maglev_table_size") ? cluster.value("maglev_table_size") : cluster.value("balancer");
        String subject = "maglev_table_size " + size + (cluster.has("maglev_table_size") ? "" : " (the default)");
        long needed = 100L * backends + 1;
        if (needed > MAX) {
            cluster.problems().at(at, "maglev supports at most " + (MAX - 1) / 100 + " backends, because "
                    + "maglev_table_size must be more than 100 x backends and at most " + MAX + "; this cluster has "
                    + backends);
        } else if (size < needed) {
            cluster.problems().at(at, subject + " is too small for " + backends + " backends: expected a prime above "
                    + (needed - 1) + ", such as " + nextPrime(needed));
        } else if (!isPrime(size)) {
            cluster.problems().at(at, subject + " is not prime: expected a prime such as " + nextPrime(size));
        }
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** The smallest prime at least {@code n}. */
    static long nextPrime(long n) {
        long candidate = Math.max(2, n);
        while (!isPrime(candidate)) {
            candidate++;
        }
        return candidate;
    }
}
