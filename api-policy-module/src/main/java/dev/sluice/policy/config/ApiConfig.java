package dev.sluice.policy.config;

import dev.sluice.core.config.RouteMatch;

/**
 * One api of the {@code policy:} section.
 *
 * @param name      the api's name
 * @param match     which requests belong to it (the route match fields; a path version may precede the prefix)
 * @param apiKey    whether a key is required ({@code auth: api_key}) or not ({@code auth: none})
 * @param keyHeader the header carrying the key, lower case ({@code Authorization: Bearer} works as well)
 * @param versions  version routing, or {@code null}: then the listener's routes choose the cluster
 */
public record ApiConfig(String name, RouteMatch match, boolean apiKey, String keyHeader, VersionsConfig versions) {
}
