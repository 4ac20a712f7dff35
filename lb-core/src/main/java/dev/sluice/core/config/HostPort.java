package dev.sluice.core.config;

import java.net.InetSocketAddress;

/**
 * A host and port as written in the config ({@code 127.0.0.1:9001}, {@code [::1]:80}, {@code example.org:80}).
 * Immutable. {@link #toString()} gives the canonical text form, which is also a backend's identity.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("address is empty; expected host:port");
        }
        String s = text.trim();
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("bad address '" + text + "'; expected [ipv6]:port");
            }
            host = s.substring(1, close);
            portText = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("bad address '" + text + "'; expected host:port");
            }
            host = s.substring(0, colon);
            portText = s.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + portText + "' in address '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in address '" + text + "' is out of range 0..65535");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_')) {
                throw new IllegalArgumentException("bad host '" + host + "' in address '" + text + "'");
            }
        }
        return new HostPort(host, port);
    }

    /** An unresolved socket address; resolution happens off the event loops. */
    public InetSocketAddress toUnresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Whether the host is a loopback name or address (used by the admin bind check). */
    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
