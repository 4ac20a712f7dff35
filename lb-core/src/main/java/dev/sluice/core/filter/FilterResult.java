package dev.sluice.core.filter;

/** What a filter decided about a request or response head. */
public enum FilterResult {
    /** Go on with the next filter, then the proxy. */
    CONTINUE,
    /** The filter answered through {@link FilterContext#respond}; nothing goes upstream. */
    RESPONDED
}
