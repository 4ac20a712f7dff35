package dev.sluice.core.config;

/** Syntax rules for names and hosts shared by the section readers. Stateless. */
final class ConfigSyntax {

    /** What {@link #isPlainName} accepts, for messages. */
    static final String NAME_RULE = "expected letters, digits, '-', '_', '.' or ':', starting with a letter or digit";

    private ConfigSyntax() {
    }

    /**
     * Whether {@code name} may name a listener or cluster. Names appear in admin API paths and metrics labels,
     * so they are kept to letters, digits, {@code - _ . :}, starting with a letter or digit.
     */
    static boolean isPlainName(String name) {
        if (name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code host} is a DNS host name or IPv4 address: dot-separated labels of 1 to 63 letters, digits
     * and hyphens, not starting or ending with a hyphen, at most 253 characters in all.
     */
    static boolean isHostName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code text} has a space or control character (never valid in hosts, paths or header values). */
    static boolean hasSpaceOrControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} has a control character other than horizontal tab (never valid in a header value). */
    static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
