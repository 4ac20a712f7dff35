package dev.sluice.core.balancer;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Where a hashing picker finds a request's key ({@code hash_key}), and the key's 64-bit hash. Immutable after
 * parsing; {@link #hash} is safe on any thread and allocation-free: it walks the characters of the header
 * value, cookie header or request target in place ({@link StableHash} over a range) instead of cutting
 * substrings.
 *
 * <ul>
 *   <li>{@code client_ip}: IPv4: the four address bytes. IPv6: the JDK's {@code hashCode()} of the address
 *       (the sum of its four 32-bit words), the only view of the bytes that does not copy them; distinct IPv6
 *       clients whose word sums collide share a backend.</li>
 *   <li>{@code header:NAME}: the first value of that header (name case-insensitive).</li>
 *   <li>{@code cookie:NAME}: that cookie's value in the first {@code Cookie} header line (name case-sensitive,
 *       surrounding double quotes removed).</li>
 *   <li>{@code query:NAME}: that parameter's raw (not percent-decoded) value in the request target.</li>
 *   <li>{@code path}: the request target's path, raw, without query or fragment; always present.</li>
 * </ul>
 * An absent or empty value means "no key": the picker uses its fallback policy.
 */
final class HashKey {

    /** What {@link #hash} answers when the request has no key. Real hashes of 0 are mapped to 1 instead. */
    static final long ABSENT = 0L;

    private static final int CLIENT_IP = 0;
    private static final int HEADER = 1;
    private static final int COOKIE = 2;
    private static final int QUERY = 3;
    private static final int PATH = 4;
    /** IPv6 hashes use another seed so an IPv6 word sum never collides with the equal IPv4 address on purpose. */
    private static final long IPV6_SEED = 0x6L;

    private final String spec;
    private final int kind;
    private final String name;
    private final AsciiString headerName;

    private HashKey(String spec, int kind, String name) {
        this.spec = spec;
        this.kind = kind;
        this.name = name;
        this.headerName = kind == HEADER ? AsciiString.of(name) : null;
    }

    /**
     * Parses {@code client_ip}, {@code header:NAME}, {@code cookie:NAME}, {@code query:NAME} or {@code path}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static HashKey parse(String spec) {
        if (spec == null || spec.isEmpty() || spec.equals("client_ip")) {
            return new HashKey("client_ip", CLIENT_IP, null);
        }
        if (spec.equals("path")) {
            return new HashKey(spec, PATH, null);
        }
        int colon = spec.indexOf(':');
        String source = colon < 0 ? spec : spec.substring(0, colon);
        String name = colon < 0 ? "" : spec.substring(colon + 1);
        int kind = switch (source) {
            case "header" -> HEADER;
            case "cookie" -> COOKIE;
            case "query" -> QUERY;
            default -> -1;
        };
        if (kind < 0 || name.isEmpty()) {
            throw new IllegalArgumentException("bad hash_key '" + spec
                    + "'; expected client_ip, header:NAME, cookie:NAME, query:NAME or path");
        }
        return new HashKey(spec, kind, name);
    }

    /** The key's hash for this request, never 0, or {@link #ABSENT} when the request has no key. */
    long hash(PickContext ctx) {
        switch (kind) {
            case CLIENT_IP:
                return clientIp(ctx.clientAddress());
            case HEADER:
                return whole(ctx.request().headers().get(headerName));
            case COOKIE:
                return cookie(ctx.request().headers().get(HttpHeaderNames.COOKIE));
            case QUERY:
                return query(ctx.request().uri());
            default:
                return path(ctx.request());
        }
    }

    @Override
    public String toString() {
        return spec;
    }

    private static long clientIp(InetAddress address) {
        if (address == null) {
            return ABSENT;
        }
        // hashCode() is the IPv4 address itself, and for IPv6 a sum computed in place: getAddress() would copy.
        long seed = address instanceof Inet4Address ? StableHash.KEY_SEED : IPV6_SEED;
        return nonZero(StableHash.hashInt(address.hashCode(), seed));
    }

    private static long whole(String value) {
        return value == null || value.isEmpty() ? ABSENT : nonZero(StableHash.hash(value, StableHash.KEY_SEED));
    }

    private long cookie(String header) {
        if (header == null) {
            return ABSENT;
        }
        int len = header.length();
        int i = 0;
        while (i < len) {
            while (i < len && (header.charAt(i) == ' ' || header.charAt(i) == '\t' || header.charAt(i) == ';')) {
                i++;
            }
            int nameStart = i;
            while (i < len && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            int nameEnd = trimEnd(header, nameStart, i);
            if (i >= len || header.charAt(i) != '=') {
                continue; // a pair without '=' carries no value
            }
            int valueStart = ++i;
            while (i < len && header.charAt(i) != ';') {
                i++;
            }
            if (matches(header, nameStart, nameEnd)) {
                return valueHash(header, skipSpaces(header, valueStart, i), trimEnd(header, valueStart, i), true);
            }
        }
        return ABSENT;
    }

    private long query(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return ABSENT;
        }
        int end = uri.indexOf('#', q);
        end = end < 0 ? uri.length() : end;
        int i = q + 1;
        while (i < end) {
            int paramStart = i;
            while (i < end && uri.charAt(i) != '&' && uri.charAt(i) != '=') {
                i++;
            }
            int nameEnd = i;
            int valueStart = i;
            if (i < end && uri.charAt(i) == '=') {
                valueStart = ++i;
                while (i < end && uri.charAt(i) != '&') {
                    i++;
                }
            }
            if (matches(uri, paramStart, nameEnd)) {
                return valueHash(uri, valueStart, i, false);
            }
            i++; // past '&'
        }
        return ABSENT;
    }

    private static long path(HttpRequest request) {
        String uri = request.uri();
        int start = 0;
        if (!uri.startsWith("/") && !uri.startsWith("*")) {
            int scheme = uri.indexOf("://"); // absolute-form: the path starts at the first '/' after the authority
            start = scheme < 0 ? 0 : uri.indexOf('/', scheme + 3);
            if (start < 0) {
                return nonZero(StableHash.hash("/", StableHash.KEY_SEED));
            }
        }
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '?' && uri.charAt(end) != '#') {
            end++;
        }
        return end == start ? nonZero(StableHash.hash("/", StableHash.KEY_SEED))
                : nonZero(StableHash.hash(uri, start, end, StableHash.KEY_SEED));
    }

    private boolean matches(String text, int start, int end) {
        return end - start == name.length() && text.regionMatches(start, name, 0, name.length());
    }

    private static long valueHash(String text, int start, int end, boolean unquote) {
        if (unquote && end - start >= 2 && text.charAt(start) == '"' && text.charAt(end - 1) == '"') {
            start++;
            end--;
        }
        return start >= end ? ABSENT : nonZero(StableHash.hash(text, start, end, StableHash.KEY_SEED));
    }

    private static int skipSpaces(String text, int start, int end) {
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        return start;
    }

    private static int trimEnd(String text, int start, int end) {
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return end;
    }

    private static long nonZero(long hash) {
        return hash == ABSENT ? 1L : hash;
    }
}
