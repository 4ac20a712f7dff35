package dev.sluice.policy.config;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ConfigValues;
import dev.sluice.core.config.RouteMatch;
import dev.sluice.core.config.SluiceConfig;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code policy.apis}; part of {@link PolicyConfigReader}, sharing its error list. */
final class ApiConfigReader {

    static final List<String> API_KEYS = List.of("name", "match", "auth", "key_header", "versions");
    static final List<String> MATCH_KEYS = List.of("host", "path_prefix", "method", "headers");
    static final List<String> VERSIONS_KEYS = List.of("from", "default", "clusters", "deprecated");
    static final List<String> DEPRECATION_KEYS = List.of("deprecation", "sunset");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

    private final FieldReader top;
    private final SluiceConfig core;

    ApiConfigReader(FieldReader top, SluiceConfig core) {
        this.top = top;
        this.core = core;
    }

    List<ApiConfig> read() {
        List<ApiConfig> apis = new ArrayList<>();
        List<ConfigNode> items = top.list("apis");
        if (items == null) {
            return apis;
        }
        Set<String> names = new HashSet<>();
        for (ConfigNode item : items) {
            FieldReader api = FieldReader.of(item, "an api", "in an api", top.errors(), API_KEYS);
            if (api == null) {
                continue;
            }
            String name = api.requiredText("name");
            if (name != null && !names.add(name)) {
                api.error(api.value("name"), "duplicate api name '" + name + "'");
            }
            String where = "in api '" + name + "'";
            RouteMatch match = readMatch(api.mapping("match", "in the match of api '" + name + "'", MATCH_KEYS));
            String auth = api.text("auth");
            if (auth != null && !auth.equals("api_key") && !auth.equals("none")) {
                api.error(api.value("auth"), "bad auth '" + auth + "' " + where + ": expected api_key or none");
            }
            String keyHeader = api.text("key_header");
            if (keyHeader != null && !ConfigValues.isToken(keyHeader)) {
                api.error(api.value("key_header"), "bad key_header '" + keyHeader + "': expected a header name");
            }
            FieldReader versions = api.mapping("versions", "in the versions of api '" + name + "'", VERSIONS_KEYS);
            VersionsConfig v = versions == null ? null : readVersions(versions, name);
            apis.add(new ApiConfig(name, match, !"none".equals(auth),
                    keyHeader == null ? "x-api-key" : keyHeader.toLowerCase(Locale.ROOT), v));
        }
        return apis;
    }

    private RouteMatch readMatch(FieldReader m) {
        if (m == null) {
            return RouteMatch.any();
        }
        String prefix = m.text("path_prefix");
        if (prefix != null && !prefix.startsWith("/")) {
            m.error(m.value("path_prefix"), "bad path_prefix '" + prefix + "': it must start with '/'");
        }
        String method = m.text("method");
        if (method != null && !ConfigValues.isToken(method)) {
            m.error(m.value("method"), "bad method '" + method + "': expected an HTTP method such as GET");
        }
        String host = m.text("host");
        Map<String, String> headers = new LinkedHashMap<>();
        ConfigNode h = m.value("headers");
        if (h != null && h.kind() == ConfigNode.Kind.MAP) {
            for (Map.Entry<String, ConfigNode> e : h.fields().entrySet()) {
                if (!ConfigValues.isToken(e.getKey())) {
                    m.error(h.keyNode(e.getKey()), "bad header name '" + e.getKey() + "'");
                } else if (e.getValue().kind() != ConfigNode.Kind.SCALAR) {
                    m.error(e.getValue(), "the value of header '" + e.getKey() + "' must be a single value");
                } else {
                    headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().text());
                }
            }
        } else if (h != null && h.kind() != ConfigNode.Kind.NULL) {
            m.error(h, "'headers' must be a mapping of header names to values, found " + FieldReader.describe(h));
        }
        return new RouteMatch(host == null ? null : host.toLowerCase(Locale.ROOT), prefix, method, headers);
    }

    private VersionsConfig readVersions(FieldReader v, String api) {
        String from = v.requiredText("from");
        VersionSource source = null;
        String headerName = null;
        if ("path".equals(from)) {
            source = VersionSource.PATH;
        } else if ("accept".equals(from)) {
            source = VersionSource.ACCEPT;
        } else if (from != null && from.startsWith("header:") && ConfigValues.isToken(from.substring(7))) {
            source = VersionSource.HEADER;
            headerName = from.substring(7).toLowerCase(Locale.ROOT);
        } else if (from != null) {
            v.error(v.value("from"), "bad versions.from '" + from + "' in api '" + api
                    + "': expected path, header:NAME or accept");
        }
        Map<String, String> clusters = readClusters(v, api);
        String dflt = v.text("default");
        if (dflt != null && !clusters.isEmpty() && !clusters.containsKey(dflt)) {
            v.error(v.value("default"), "default version '" + dflt + "' of api '" + api + "' is not among its"
                    + " versions: " + String.join(", ", clusters.keySet()));
        }
        Map<String, Deprecation> deprecated = readDeprecated(v, clusters, api);
        return new VersionsConfig(source, headerName, dflt, Collections.unmodifiableMap(clusters),
                Collections.unmodifiableMap(deprecated));
    }

    private Map<String, String> readClusters(FieldReader v, String api) {
        Map<String, String> clusters = new LinkedHashMap<>();
        ConfigNode node = v.value("clusters");
        if (node == null || node.kind() != ConfigNode.Kind.MAP || node.fields().isEmpty()) {
            v.error(node == null ? v.node() : node, "versions of api '" + api + "' need 'clusters': a mapping of"
                    + " version to cluster, such as { v1: orders-v1 }");
            return clusters;
        }
        for (Map.Entry<String, ConfigNode> e : node.fields().entrySet()) {
            String cluster = e.getValue().kind() == ConfigNode.Kind.SCALAR ? e.getValue().text() : null;
            if (!VERSION.matcher(e.getKey()).matches()) {
                v.error(node.keyNode(e.getKey()), "bad version name '" + e.getKey()
                        + "': use letters, digits, '.', '_' or '-'");
            } else if (cluster == null) {
                v.error(e.getValue(), "version '" + e.getKey() + "' needs a cluster name");
            } else if (core.cluster(cluster) == null) {
                v.error(e.getValue(), "unknown cluster '" + cluster + "' for version '" + e.getKey() + "' of api '"
                        + api + "'");
            } else {
                clusters.put(e.getKey(), cluster);
            }
        }
        return clusters;
    }

    private Map<String, Deprecation> readDeprecated(FieldReader v, Map<String, String> clusters, String api) {
        Map<String, Deprecation> deprecated = new LinkedHashMap<>();
        ConfigNode node = v.value("deprecated");
        if (node == null || node.kind() == ConfigNode.Kind.NULL) {
            return deprecated;
        }
        if (node.kind() != ConfigNode.Kind.MAP) {
            v.error(node, "'deprecated' in api '" + api + "' must map versions to dates, such as { v1: 2027-06-30 }");
            return deprecated;
        }
        for (Map.Entry<String, ConfigNode> e : node.fields().entrySet()) {
            if (!clusters.containsKey(e.getKey())) {
                v.error(node.keyNode(e.getKey()), "deprecated version '" + e.getKey() + "' is not a version of api '"
                        + api + "'");
                continue;
            }
            Deprecation d = readDeprecation(v, e.getValue());
            if (d != null) {
                deprecated.put(e.getKey(), d);
            }
        }
        return deprecated;
    }

    /** A date (both fields use it) or {@code { deprecation: DATE, sunset: DATE }}. */
    private Deprecation readDeprecation(FieldReader v, ConfigNode value) {
        if (value.kind() == ConfigNode.Kind.SCALAR) {
            Long day = date(v, value);
            return day == null ? null : new Deprecation(day, day);
        }
        FieldReader dates = FieldReader.of(value, "a deprecation", "in a deprecation", v.errors(), DEPRECATION_KEYS);
        if (dates == null) {
            return null;
        }
        ConfigNode dep = dates.value("deprecation");
        ConfigNode sun = dates.value("sunset");
        if (dep == null || sun == null) {
            v.error(value, "a deprecation needs both 'deprecation' and 'sunset' dates (or write one date)");
            return null;
        }
        Long from = date(v, dep);
        Long until = date(v, sun);
        if (from == null || until == null) {
            return null;
        }
        if (until < from) {
            v.error(sun, "the sunset date must not be before the deprecation date");
            return null;
        }
        return new Deprecation(from, until);
    }

    private static Long date(FieldReader v, ConfigNode node) {
        try {
            if (node.kind() == ConfigNode.Kind.SCALAR) {
                return LocalDate.parse(node.text().trim()).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            }
        } catch (DateTimeParseException e) {
            // reported below: the parser's message does not say which format is expected
        }
        v.error(node, "bad date " + FieldReader.describe(node) + ": expected YYYY-MM-DD, such as 2027-06-30");
        return null;
    }
}
