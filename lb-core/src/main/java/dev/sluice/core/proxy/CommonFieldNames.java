package dev.sluice.core.proxy;

import io.netty.util.AsciiString;

/**
 * The field names that most requests carry, spelled as clients commonly send them, as shared {@link AsciiString}s.
 * The request decoder hands these out instead of allocating a name per field (responses are relayed as bytes and
 * need no names); a name is matched byte for byte (case included), so what is forwarded is exactly what arrived,
 * and any other spelling falls back to Netty's own (allocating) path.
 *
 * <p>Immutable and stateless; any thread. A lookup allocates nothing: candidates are grouped by length, and
 * each length has only a few.
 */
final class CommonFieldNames {

    private static final String[] NAMES = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Cookie",
        "Referer", "Origin", "Authorization", "Cache-Control", "Pragma", "If-None-Match", "If-Modified-Since",
        "Range", "Upgrade-Insecure-Requests", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest",
        "Sec-Fetch-User", "DNT", "Expect", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
        "X-Real-IP", "X-Request-Id", "X-Request-ID", "X-Requested-With", "Forwarded",
        "Connection", "Keep-Alive", "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding",
        "TE", "Trailer", "Upgrade", "Via", "Date",
        // The lower-case spellings of HTTP/2-era clients and load generators
        "host", "user-agent", "accept", "accept-encoding", "accept-language", "cookie", "referer", "origin",
        "authorization", "cache-control", "x-forwarded-for", "x-forwarded-proto", "x-request-id", "connection",
        "keep-alive", "content-type", "content-length", "content-encoding", "transfer-encoding",
    };

    /** Candidates by length; lengths past the longest name have none. */
    private static final AsciiString[][] BY_LENGTH = byLength();

    private CommonFieldNames() {
    }

    /** The shared name equal to {@code bytes[start, start + length)} byte for byte, or {@code null}. */
    static AsciiString find(byte[] bytes, int start, int length) {
        if (length >= BY_LENGTH.length) {
            return null;
        }
        for (AsciiString candidate : BY_LENGTH[length]) {
            if (sameBytes(candidate, bytes, start, length)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean sameBytes(AsciiString candidate, byte[] bytes, int start, int length) {
        byte[] own = candidate.array(); // cached names start at offset 0
        for (int i = length - 1; i >= 0; i--) { // names share prefixes more often than suffixes
            if (own[i] != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    private static AsciiString[][] byLength() {
        int longest = 0;
        for (String n : NAMES) {
            longest = Math.max(longest, n.length());
        }
        AsciiString[][] table = new AsciiString[longest + 1][];
        for (int len = 0; len <= longest; len++) {
            int count = 0;
            for (String n : NAMES) {
                if (n.length() == len) {
                    count++;
                }
            }
            table[len] = new AsciiString[count];
            int i = 0;
            for (String n : NAMES) {
                if (n.length() == len) {
                    table[len][i++] = AsciiString.cached(n);
                }
            }
        }
        return table;
    }
}
