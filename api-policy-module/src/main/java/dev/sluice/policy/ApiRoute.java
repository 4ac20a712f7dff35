package dev.sluice.policy;

import dev.sluice.core.config.RouteMatch;
import dev.sluice.policy.config.ApiConfig;
import dev.sluice.policy.config.VersionSource;
import dev.sluice.policy.config.VersionsConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * One api compiled for the data plane: whether a request belongs to it and which version it asks for.
 * Immutable apart from its 401 counter; shared by every loop. Matching allocates nothing for requests that name
 * a known version or none (it reads the header values Netty already holds).
 *
 * <p>Match fields work as in routes: {@code host} exactly or {@code *.suffix}, case-insensitively, port ignored;
 * {@code method} exactly; each header exactly; {@code path_prefix} as a prefix of the path. With versions from
 * the path, a version segment ({@code /v1}) may stand in front of the prefix.
 */
final class ApiRoute {

    /** {@link #match}: the request is not for this api. */
    static final int NO_MATCH = -1;
    /** {@link #match}: the request is for this api but names no version it has (and there is no default). */
    static final int UNKNOWN_VERSION = -2;
    /** {@link #match}: the api has no versions; the listener's routes choose the cluster. */
    static final int UNVERSIONED = -3;

    final String name;
    final boolean apiKey;
    final AsciiString keyHeader;
    final ApiVersion[] versions;
    final LongAdder unauthorized = new LongAdder();
    private final RouteMatch match;
    // the match's header fields as arrays: no iterator per request
    private final AsciiString[] headerNames;
    private final String[] headerValues;
    private final VersionSource source;
    private final AsciiString versionHeader;
    private final int defaultIndex;
    private final String supportedJson;

    ApiRoute(ApiConfig config) {
        this.name = config.name();
        this.apiKey = config.apiKey();
        this.keyHeader = AsciiString.cached(config.keyHeader());
        this.match = config.match();
        this.headerNames = match.headers().keySet().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
        this.headerValues = new String[headerNames.length];
        for (int i = 0; i < headerNames.length; i++) {
            headerValues[i] = match.headers().get(headerNames[i].toString());
        }
        VersionsConfig v = config.versions();
        this.source = v == null ? null : v.source();
        this.versionHeader = v == null || v.headerName() == null ? null : AsciiString.cached(v.headerName());
        this.versions = v == null ? new ApiVersion[0] : v.clusters().entrySet().stream()
                .map(e -> new ApiVersion(e.getKey(), e.getValue(), v.deprecated().get(e.getKey())))
                .toArray(ApiVersion[]::new);
        int d = -1;
        for (int i = 0; i < versions.length; i++) {
            if (versions[i].name.equals(v.defaultVersion())) {
                d = i;
            }
        }
        this.defaultIndex = d;
        this.supportedJson = v == null ? "" : v.clusters().keySet().stream().map(Json::quote)
                .collect(Collectors.joining(",", ",\"supported\":[", "]"));
    }

    /**
     * Whether {@code req} belongs to this api and which version it wants.
     *
     * @return an index into {@link #versions}, or {@link #NO_MATCH}, {@link #UNKNOWN_VERSION} or {@link #UNVERSIONED}
     */
    int match(HttpRequest req) {
        HttpHeaders h = req.headers();
        if (match.host() != null && !matchesHost(h.get(HttpHeaderNames.HOST))
                || match.method() != null && !match.method().equals(req.method().name())) {
            return NO_MATCH;
        }
        for (int i = 0; i < headerNames.length; i++) {
            if (!headerValues[i].equals(h.get(headerNames[i]))) {
                return NO_MATCH;
            }
        }
        String uri = req.uri();
        int end = pathEnd(uri);
        if (source == VersionSource.PATH) {
            int seg = pathVersionEnd(uri, end);
            if (seg > 0) {
                int known = find(uri, 1, seg);
                return known >= 0 ? known : UNKNOWN_VERSION;
            }
        }
        if (!startsWithPrefix(uri, 0, end)) {
            return NO_MATCH;
        }
        if (source == null) {
            return UNVERSIONED;
        }
        return switch (source) {
            case PATH -> orDefault(-1);
            case HEADER -> headerVersion(h.get(versionHeader));
            case ACCEPT -> acceptVersion(h.get(HttpHeaderNames.ACCEPT));
        };
    }

    /** Whether this api's match looks at header field {@code name}. */
    boolean matchesOnField(AsciiString name) {
        for (AsciiString n : headerNames) {
            if (n.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Removes a path version ({@code /v1}) in front of the prefix, if the request has one. */
    void stripPathVersion(HttpRequest req) {
        if (source != VersionSource.PATH) {
            return;
        }
        String uri = req.uri();
        int seg = pathVersionEnd(uri, pathEnd(uri));
        if (seg > 0) {
            req.setUri(seg < uri.length() ? uri.substring(seg) : "/"); // one string per versioned request
        }
    }

    /** The version a request named, for error messages only (allocates). */
    String requestedVersion(HttpRequest req) {
        String uri = req.uri();
        if (source == VersionSource.PATH) {
            int seg = pathVersionEnd(uri, pathEnd(uri));
            return seg > 0 ? uri.substring(1, seg) : "";
        }
        if (source == VersionSource.HEADER) {
            String value = req.headers().get(versionHeader);
            return value == null ? "" : value.trim();
        }
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        long span = accept == null ? -1 : acceptSpan(accept);
        return span < 0 ? "" : accept.substring((int) (span >>> 32), (int) span);
    }

    /** The body of the 400 for an unknown version, naming the supported ones. */
    String unknownVersionBody(String requested) {
        String supported = java.util.Arrays.stream(versions).map(v -> v.name).collect(Collectors.joining(", "));
        String what = requested.isEmpty() ? "this api needs a version" : "unknown API version '" + requested + "'";
        return Json.error("unknown_api_version", what + " for api '" + name + "': supported versions are "
                + supported, supportedJson);
    }

    private boolean matchesHost(String host) {
        String want = match.host();
        if (want == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        int colon = host.lastIndexOf(':');
        int len = colon > host.lastIndexOf(']') ? colon : host.length();
        if (want.startsWith("*.")) {
            int suffix = want.length() - 1; // ".example.com"
            return len > suffix && host.regionMatches(true, len - suffix, want, 1, suffix);
        }
        return len == want.length() && host.regionMatches(true, 0, want, 0, len);
    }

    private static int pathEnd(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri.length() : q;
    }

    private boolean startsWithPrefix(String uri, int from, int end) {
        String prefix = match.pathPrefix();
        return prefix == null || end - from >= prefix.length() && uri.startsWith(prefix, from);
    }

    /**
     * When the path starts with a version segment followed by the prefix, the index just past the segment;
     * else 0. A segment counts when it is a known version or looks like one ({@code v} and a digit).
     */
    private int pathVersionEnd(String uri, int end) {
        if (end < 2 || uri.charAt(0) != '/') {
            return 0;
        }
        int slash = uri.indexOf('/', 1);
        int seg = slash < 0 || slash > end ? end : slash;
        if (seg == 1) {
            return 0;
        }
        boolean looksVersioned = seg > 2 && (uri.charAt(1) == 'v' || uri.charAt(1) == 'V')
                && Character.isDigit(uri.charAt(2));
        if (!looksVersioned && find(uri, 1, seg) < 0) {
            return 0;
        }
        if (seg == end) {
            return match.pathPrefix() == null || match.pathPrefix().equals("/") ? seg : 0;
        }
        return startsWithPrefix(uri, seg, end) ? seg : 0;
    }

    private int find(String s, int from, int to) {
        for (int i = 0; i < versions.length; i++) {
            String v = versions[i].name;
            if (v.length() == to - from && s.regionMatches(from, v, 0, v.length())) {
                return i;
            }
        }
        return -1;
    }

    private int orDefault(int index) {
        return index >= 0 ? index : defaultIndex >= 0 ? defaultIndex : UNKNOWN_VERSION;
    }

    private int headerVersion(String value) {
        if (value == null || value.isBlank()) {
            return orDefault(-1);
        }
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) == ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
            to--;
        }
        int known = find(value, from, to);
        return known >= 0 ? known : UNKNOWN_VERSION;
    }

    private int acceptVersion(String accept) {
        long span = accept == null ? -1 : acceptSpan(accept);
        if (span < 0) {
            return orDefault(-1);
        }
        int known = find(accept, (int) (span >>> 32), (int) span);
        return known >= 0 ? known : UNKNOWN_VERSION;
    }

    /**
     * The version inside {@code application/vnd.NAME.VERSION+json} (or without {@code +json}): the characters
     * after the last dot of the vendor subtype, packed as {@code start << 32 | end} (no array per request);
     * {@code -1} when Accept has no such media type.
     */
    private static long acceptSpan(String accept) {
        int at = indexOfIgnoreCase(accept, "application/vnd.");
        if (at < 0) {
            return -1;
        }
        int start = at + "application/vnd.".length();
        int end = start;
        while (end < accept.length() && "+;, \t".indexOf(accept.charAt(end)) < 0) {
            end++;
        }
        int dot = accept.lastIndexOf('.', end - 1);
        return dot < start || dot + 1 == end ? -1 : ((long) (dot + 1) << 32) | end;
    }

    private static int indexOfIgnoreCase(String s, String what) {
        for (int i = 0; i + what.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }
}
