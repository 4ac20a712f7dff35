package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds listen addresses (listeners and the admin API) that cannot all be bound: the same host and port, or the
 * same port where one host is a wildcard ({@code 0.0.0.0}, {@code ::}). Port 0 never collides, because the
 * system picks a free port for each bind (tests rely on this). Host names are compared as written, not
 * resolved. Confined to the thread reading the config.
 */
final class BindConflicts {

    private record Claim(String owner, HostPort bind, ConfigNode at) {
    }

    private final ConfigProblems problems;
    private final List<Claim> claims = new ArrayList<>();

    BindConflicts(ConfigProblems problems) {
        this.problems = problems;
    }

    /**
     * Claims {@code bind} for {@code owner} (e.g. {@code listener 'public'}), reporting at {@code at} when an
     * earlier claim collides with it. {@code at} is {@code null} only for a default address that is not written
     * in the file; such a claim must come first, as nothing can be reported at it.
     */
    void claim(String owner, HostPort bind, ConfigNode at) {
        if (bind.port() == 0) {
            return;
        }
        for (Claim earlier : claims) {
            if (earlier.bind().port() != bind.port()) {
                continue;
            }
            String first = earlier.at() == null ? earlier.owner()
                    : earlier.owner() + " (line " + earlier.at().line() + ", column " + earlier.at().column() + ")";
            if (earlier.bind().host().equalsIgnoreCase(bind.host())) {
                problems.at(at, "duplicate bind address " + bind + " of " + owner + ": " + first + " binds it already");
                return;
            }
            if (isWildcard(earlier.bind()) || isWildcard(bind)) {
                problems.at(at, "bind address " + bind + " of " + owner + " overlaps " + earlier.bind() + " of " + first);
                return;
            }
        }
        claims.add(new Claim(owner, bind, at));
    }

    private static boolean isWildcard(HostPort hp) {
        String h = hp.host();
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }
}
