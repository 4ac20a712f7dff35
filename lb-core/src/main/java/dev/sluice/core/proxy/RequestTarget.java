package dev.sluice.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The request-target forms Sluice serves (RFC 9112 section 3.2) and the {@code Host} syntax (RFC 9110 section
 * 7.2, RFC 3986 section 3.2.2). The decoder already checked that the target holds only RFC 3986 bytes.
 *
 * <p>Decision on absolute-form ({@code GET http://example.com/x HTTP/1.1}): accepted only when its scheme is
 * {@code http} or {@code https}, it has no userinfo, and its authority equals {@code Host} ignoring case (an
 * HTTP/1.0 request without {@code Host} gets the authority as its {@code Host}); it is then rewritten to
 * origin-form ({@code /x}), so routing, filters and the backend all see one host and one path. A mismatch is
 * refused rather than resolved either way, because a proxy and a backend that pick different hosts is a
 * routing-confusion attack.
 *
 * <p>Stateless; called on event loops. Origin-form targets are checked in place without allocation.
 */
final class RequestTarget {

    private RequestTarget() {
    }

    /**
     * Checks the target form of {@code req} and rewrites absolute-form to origin-form.
     *
     * @return whether the target is acceptable
     */
    static boolean normalize(HttpRequest req) {
        String uri = req.uri();
        if (uri.startsWith("/")) {
            return true;
        }
        if (uri.equals("*")) {
            return HttpMethod.OPTIONS.equals(req.method());
        }
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            return false; // authority-form outside CONNECT, or garbage
        }
        String scheme = uri.substring(0, schemeEnd);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            return false;
        }
        int authorityStart = schemeEnd + 3;
        int pathStart = authorityStart;
        while (pathStart < uri.length() && uri.charAt(pathStart) != '/' && uri.charAt(pathStart) != '?') {
            pathStart++;
        }
        String authority = uri.substring(authorityStart, pathStart);
        if (!isValidHost(authority)) {
            return false; // also refuses userinfo: '@' is not a host byte
        }
        HttpHeaders h = req.headers();
        String host = h.get(HttpHeaderNames.HOST);
        if (host == null) {
            h.set(HttpHeaderNames.HOST, authority);
        } else if (!host.equalsIgnoreCase(authority)) {
            return false;
        }
        String rest = uri.substring(pathStart);
        req.setUri(rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest);
        return true;
    }

    /**
     * Whether {@code value} is {@code uri-host [":" port]}: a reg-name (unreserved, sub-delims, pct-encoded),
     * an IPv4 address (a reg-name too) or an IPv6 address in brackets (hex digits, ':' and '.', no zone), and
     * a port of 1 to 5 digits when the colon is present. An empty host is refused.
     */
    static boolean isValidHost(CharSequence value) {
        int n = value.length();
        if (n == 0) {
            return false;
        }
        int i;
        if (value.charAt(0) == '[') {
            i = 1;
            while (i < n && value.charAt(i) != ']') {
                char c = value.charAt(i);
                if (!isHex(c) && c != ':' && c != '.') {
                    return false;
                }
                i++;
            }
            if (i == n || i == 1) {
                return false;
            }
            i++;
        } else {
            i = 0;
            while (i < n && value.charAt(i) != ':') {
                char c = value.charAt(i);
                if (c > 0x7F || !HttpGrammar.isRegNameByte(c)) {
                    return false;
                }
                if (c == '%' && (i + 2 >= n || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2)))) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (value.charAt(i) != ':' || n - i - 1 < 1 || n - i - 1 > 5) {
            return false;
        }
        for (int p = i + 1; p < n; p++) {
            char c = value.charAt(p);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return c <= 0x7F && HttpGrammar.hexValue(c) >= 0;
    }
}
