package dev.sluice.admin.systemd;

import io.netty.channel.unix.DomainSocketAddress;

import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code NOTIFY_SOCKET} value: the unix datagram socket systemd listens on for state messages.
 * Immutable.
 *
 * <p>Two forms are accepted, as {@code sd_notify(3)} does: an absolute file system path ({@code /run/...}) and
 * a Linux abstract-namespace name written with a leading {@code @}. The abstract form becomes a
 * {@link DomainSocketAddress} whose path starts with a NUL character: Netty's native layer copies the UTF-8
 * bytes of the path into {@code sun_path} and passes {@code offsetof(sun_path) + length} as the address length,
 * which is exactly how an abstract address is spelled to the kernel. Other forms ({@code vsock:...}, relative
 * paths) are rejected.
 *
 * @param text    the value as systemd passed it, for messages
 * @param address the address to connect to
 */
record NotifySocket(String text, DomainSocketAddress address) {

    /** {@code sizeof(struct sockaddr_un.sun_path)} on Linux; paths need room for their terminating NUL. */
    private static final int SUN_PATH_SIZE = 108;

    /**
     * Parses a {@code NOTIFY_SOCKET} value.
     *
     * @throws IllegalArgumentException when the value is not an absolute path or an {@code @} name, or does not
     *                                  fit in {@code sun_path}; the message names the variable and the value
     */
    static NotifySocket parse(String value) {
        String path;
        if (value.startsWith("/")) {
            path = value;
        } else if (value.startsWith("@") && value.length() > 1) {
            path = '\0' + value.substring(1);
        } else {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + value
                    + ": unsupported address; expected an absolute path (/...) or an abstract name (@...)");
        }
        int length = path.getBytes(StandardCharsets.UTF_8).length;
        if (length >= SUN_PATH_SIZE) {
            // Netty would silently cut a longer path to sun_path's size: refuse instead of sending elsewhere.
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + value + ": " + length
                    + " bytes do not fit in a unix socket address (at most " + (SUN_PATH_SIZE - 1) + ")");
        }
        return new NotifySocket(value, new DomainSocketAddress(path));
    }

    /** True for an abstract-namespace address ({@code @name}). */
    boolean isAbstract() {
        return address.path().charAt(0) == '\0';
    }
}
