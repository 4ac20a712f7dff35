package dev.sluice.core.proxy;

/** Which deadline a client connection has armed; it has at most one at a time (see {@link ConnectionTimer}). */
enum Deadline {
    /** Nothing armed. */
    NONE,
    /** Waiting for the first byte of the next request head (idle keep-alive connection). */
    IDLE,
    /** A request head started arriving and must end in time (slowloris defence). */
    HEAD,
    /** The client must send the next request body bytes in time. */
    BODY,
    /** The backend must connect or send its next response bytes in time. */
    RESPONSE,
    /** The client must take response bytes again in time while the upstream is paused for it. */
    WRITE
}
