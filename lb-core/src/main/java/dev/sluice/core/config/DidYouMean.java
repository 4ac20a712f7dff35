package dev.sluice.core.config;

import java.util.Collection;
import java.util.Locale;

/** Finds the known name a misspelt one was probably meant to be, for error messages. Stateless. */
final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * The candidate closest to {@code word} by edit distance (case-insensitive), or {@code null} when none is
     * close: at most one edit for names up to four characters, two for longer ones. Ties go to the earlier candidate.
     */
    static String closest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        int limit = lower.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d <= limit && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code " (did you mean 'x'?)"}, or an empty string when nothing is close. */
    static String hint(String word, Collection<String> candidates) {
        String match = closest(word, candidates);
        return match == null ? "" : " (did you mean '" + match + "'?)";
    }

    /** Levenshtein distance in which swapping two neighbouring characters also counts as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
