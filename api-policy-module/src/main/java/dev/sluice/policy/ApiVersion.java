package dev.sluice.policy;

import dev.sluice.policy.config.Deprecation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One version of an api: its cluster and, when deprecated, the ready-made {@code Deprecation} (RFC 9745: a
 * structured-field date, {@code @<epoch seconds>}) and {@code Sunset} (RFC 8594: an HTTP-date) field values.
 * Immutable.
 */
final class ApiVersion {

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    final String name;
    final String cluster;
    final String deprecationField;
    final String sunsetField;

    ApiVersion(String name, String cluster, Deprecation deprecation) {
        this.name = name;
        this.cluster = cluster;
        this.deprecationField = deprecation == null ? null : "@" + deprecation.deprecatedAtEpochSecond();
        this.sunsetField = deprecation == null ? null
                : HTTP_DATE.format(Instant.ofEpochSecond(deprecation.sunsetAtEpochSecond()));
    }
}
