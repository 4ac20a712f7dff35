package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.core.config.TestConfigs.MINIMAL;
import static dev.sluice.core.config.TestConfigs.errors;
import static dev.sluice.core.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ListenerValidationTest {

    /** MINIMAL with its only route's match set to {@code match} (a flow mapping body). Match values are on line 5. */
    private static String routeMatching(String match) {
        return MINIMAL.replace("- cluster: web", "- { cluster: web, match: { " + match + " } }");
    }

    @Test
    void shouldRequireListenerNameAndBind() {
        assertEquals(List.of(
                "test.yaml:2:5: missing required key 'name' in listener 1",
                "test.yaml:2:5: missing required key 'bind' in listener 1"),
                errors("listeners:\n  - routes: []\n"));
    }

    @Test
    void shouldRejectDuplicateListenerNames() {
        assertEquals(List.of("test.yaml:4:11: duplicate listener name 'a' (first at line 2, column 11)"), errors("""
                listeners:
                  - name: a
                    bind: 127.0.0.1:0
                  - name: a
                    bind: 127.0.0.1:0
                """));
    }

    @Test
    void shouldRejectListenerNameThatCannotAppearInAPath() {
        assertEquals(List.of("test.yaml:2:11: bad listener name 'my listener': expected letters, digits, '-', '_', '.'"
                + " or ':', starting with a letter or digit"), errors("listeners:\n  - name: my listener\n"
                + "    bind: 127.0.0.1:0\n"));
    }

    @Test
    void shouldRejectDuplicateAndOverlappingBindAddresses() {
        assertEquals(List.of(
                "test.yaml:5:11: duplicate bind address 127.0.0.1:8080 of listener 'b': listener 'a' (line 3, column 11)"
                        + " binds it already",
                "test.yaml:7:11: bind address 0.0.0.0:8080 of listener 'c' overlaps 127.0.0.1:8080 of listener 'a'"
                        + " (line 3, column 11)"),
                errors("""
                        listeners:
                          - name: a
                            bind: 127.0.0.1:8080
                          - name: b
                            bind: 127.0.0.1:8080
                          - name: c
                            bind: 0.0.0.0:8080
                          - name: d
                            bind: 127.0.0.1:8081
                        """));
    }

    @Test
    void shouldRejectAListenerOnTheAdminAddress() {
        assertEquals(List.of("test.yaml:3:11: duplicate bind address 127.0.0.1:9901 of listener 'a': the admin API"
                + " binds it already"), errors("listeners:\n  - name: a\n    bind: 127.0.0.1:9901\n"));
    }

    @Test
    void shouldRejectABindPortOutOfRange() {
        assertEquals(List.of("test.yaml:3:11: port 99999 in address '127.0.0.1:99999' is out of range 0..65535"),
                errors("listeners:\n  - name: a\n    bind: 127.0.0.1:99999\n"));
    }

    @Test
    void shouldRejectListenersThatAreNotAList() {
        assertEquals(List.of("test.yaml:1:12: 'listeners' at the top level must be a list, found a mapping"),
                errors("listeners: { name: a, bind: 127.0.0.1:0 }\n"));
    }

    @Test
    void shouldRequireAClusterInEveryRoute() {
        assertEquals(List.of("test.yaml:5:9: missing required key 'cluster' in route 1 of listener 'public'"),
                errors(MINIMAL.replace("- cluster: web", "- match: { path_prefix: / }")));
    }

    @Test
    void shouldRejectARouteToAnUnknownCluster() {
        assertEquals(List.of("test.yaml:5:18: unknown cluster 'wbe' in route 1 of listener 'public': expected one of"
                + " web (did you mean 'web'?)"), errors(MINIMAL.replace("- cluster: web", "- cluster: wbe")));
        assertEquals(List.of("test.yaml:5:18: unknown cluster 'web' in route 1 of listener 'public': no clusters are"
                + " defined"), errors(MINIMAL.substring(0, MINIMAL.indexOf("clusters:"))));
    }

    @Test
    void shouldAcceptExactAndLeadingWildcardHosts() throws ConfigException {
        assertEquals("api.example.com", parse(routeMatching("host: api.example.com")).listeners().get(0).routes()
                .get(0).match().host());
        assertEquals("*.example.com", parse(routeMatching("host: \"*.example.com\"")).listeners().get(0).routes()
                .get(0).match().host());
    }

    @Test
    void shouldRejectAMatchHostWithAWildcardElsewhereOrAPort() {
        assertEquals(List.of("test.yaml:5:40: bad host 'api.*.com': only a leading wildcard is allowed, as in"
                + " *.example.com"), errors(routeMatching("host: api.*.com")));
        assertEquals(List.of("test.yaml:5:40: bad host 'api.example.com:8080': expected a host name such as"
                + " api.example.com, or *.example.com for its subdomains (without a port)"),
                errors(routeMatching("host: api.example.com:8080")));
    }

    @Test
    void shouldRejectAPathPrefixThatDoesNotStartWithSlash() {
        assertEquals(List.of("test.yaml:5:47: bad path_prefix 'v1/': expected a path that starts with '/' and has no"
                + " spaces"), errors(routeMatching("path_prefix: v1/")));
    }

    @Test
    void shouldRejectAMethodThatIsNotAnUpperCaseToken() {
        assertEquals(List.of("test.yaml:5:42: bad method 'get': expected an HTTP method in upper case, such as GET"),
                errors(routeMatching("method: get")));
        assertEquals(List.of("test.yaml:5:42: bad method 'GET /': expected an HTTP method in upper case, such as GET"),
                errors(routeMatching("method: GET /")));
    }

    @Test
    void shouldRejectMatchHeaderNamesThatAreNotTokens() {
        assertEquals(List.of("test.yaml:5:45: bad header name 'x canary': expected an HTTP token (letters, digits and"
                + " !#$%&'*+-.^_`|~)"), errors(routeMatching("headers: { x canary: \"1\" }")));
    }

    @Test
    void shouldRejectMatchHeadersThatDifferOnlyInCase() {
        assertEquals(List.of("test.yaml:5:60: duplicate header 'X-Canary': header names ignore case (first at line 5,"
                + " column 45)"), errors(routeMatching("headers: { x-canary: \"1\", X-Canary: \"2\" }")));
    }

    @Test
    void shouldRejectBadListenerLimits() {
        assertEquals(List.of(
                "test.yaml:5:25: bad size '10MB': expected bytes or a number with KiB, MiB or GiB",
                "test.yaml:6:25: max_request_line 3GiB is out of range: expected 1..2147483647 bytes",
                "test.yaml:7:20: max_headers -1 is out of range: expected 1..2147483647",
                "test.yaml:8:21: idle_timeout must be longer than 0"),
                errors("""
                        listeners:
                          - name: public
                            bind: 127.0.0.1:0
                            limits:
                              max_header_bytes: 10MB
                              max_request_line: 3GiB
                              max_headers: -1
                              idle_timeout: 0
                        """));
    }
}
