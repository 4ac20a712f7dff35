package dev.sluice.policy.config;

import java.util.Map;

/**
 * How an api picks the cluster by version.
 *
 * @param source         where the version is read
 * @param headerName     the header for {@link VersionSource#HEADER} (lower case), else {@code null}
 * @param defaultVersion used when the request names none, or {@code null} (then naming one is required)
 * @param clusters       version to cluster, in config order
 * @param deprecated     deprecated versions and their dates
 */
public record VersionsConfig(VersionSource source, String headerName, String defaultVersion,
                             Map<String, String> clusters, Map<String, Deprecation> deprecated) {
}
