package dev.sluice.core.config;

/**
 * One entry of {@code clusters[].backends}.
 *
 * @param address the backend's address; its text form is the backend's identity
 * @param weight  relative share of traffic, at least 1
 * @param state   operator state ({@code state:} key, default active)
 */
public record BackendConfig(HostPort address, int weight, BackendState state) {

    public BackendConfig(HostPort address, int weight) {
        this(address, weight, BackendState.ACTIVE);
    }
}
