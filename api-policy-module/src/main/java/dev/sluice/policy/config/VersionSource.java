package dev.sluice.policy.config;

/** Where a request names the API version it wants. */
public enum VersionSource {
    /** A path segment in front of the api's path prefix: {@code /v1/orders/...}; it is removed before forwarding. */
    PATH,
    /** A request header's whole value: {@code header:NAME}. */
    HEADER,
    /** A vendor media type in {@code Accept}: {@code application/vnd.NAME.v2+json}. */
    ACCEPT
}
