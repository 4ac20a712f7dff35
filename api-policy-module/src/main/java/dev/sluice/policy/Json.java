package dev.sluice.policy;

/** Builds the small JSON bodies of local replies. Stateless. */
final class Json {

    private Json() {
    }

    /** {@code {"error":code,"message":message}} plus an optional raw JSON tail (e.g. {@code ,"supported":[..]}). */
    static String error(String code, String message, String rawTail) {
        return "{\"error\":" + quote(code) + ",\"message\":" + quote(message) + (rawTail == null ? "" : rawTail) + "}";
    }

    /** A JSON string literal, escaping quotes, backslashes and control characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
