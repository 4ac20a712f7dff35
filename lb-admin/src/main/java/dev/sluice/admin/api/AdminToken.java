package dev.sluice.admin.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The admin bearer token read from {@code admin.token_file}. Immutable; {@link #matches} may run on any thread.
 * The token text is never logged nor shown by the API.
 */
final class AdminToken {

    private static final String BEARER = "Bearer ";
    private final byte[] expected;

    private AdminToken(byte[] expected) {
        this.expected = expected;
    }

    /**
     * Reads the token file.
     *
     * @throws IllegalArgumentException when the file cannot be read, is empty, or group or others may read it
     */
    static AdminToken read(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException("admin token file " + file
                        + " is readable by group or others; run: chmod 600 " + file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("admin token file " + file + " is empty");
            }
            return new AdminToken(token.getBytes(StandardCharsets.UTF_8));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot check the permissions of admin token file " + file
                    + ": the file system has no POSIX permissions", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read admin token file " + file + ": " + e, e);
        }
    }

    /** Whether an {@code Authorization} header value carries this token; constant time in the token's length. */
    boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        // Why: a byte-by-byte early exit would leak how much of the token a guess got right.
        return MessageDigest.isEqual(expected, given);
    }
}
