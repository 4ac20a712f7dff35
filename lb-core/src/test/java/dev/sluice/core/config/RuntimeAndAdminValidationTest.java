package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.core.config.TestConfigs.MINIMAL;
import static dev.sluice.core.config.TestConfigs.errors;
import static dev.sluice.core.config.TestConfigs.parse;
import static dev.sluice.core.config.TestConfigs.webClusterWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RuntimeAndAdminValidationTest {

    @Test
    void shouldReportUnknownKeyWithItsLineAndColumn() {
        assertEquals(List.of("test.yaml:10:5: unknown key 'balancr' in cluster 'web' (did you mean 'balancer'?)"),
                errors(webClusterWith("balancr: maglev")));
    }

    @Test
    void shouldListTheKnownKeysWhenNoneIsClose() {
        assertEquals(List.of("test.yaml:2:3: unknown key 'colour' in runtime: expected one of workers, transport,"
                + " drain_timeout, state_dir"), errors("runtime:\n  colour: blue\n" + MINIMAL));
    }

    @Test
    void shouldReportUnknownTopLevelKey() {
        assertEquals(List.of("test.yaml:10:1: unknown key 'clustrs' at the top level (did you mean 'clusters'?)"),
                errors(MINIMAL + "clustrs: []\n"));
    }

    @Test
    void shouldAcceptWorkersAutoOrACount() throws ConfigException {
        assertEquals(0, parse("runtime: { workers: auto }\n" + MINIMAL).runtime().workers());
        assertEquals(4, parse("runtime: { workers: 4 }\n" + MINIMAL).runtime().workers());
        assertEquals(1024, parse("runtime: { workers: 1024 }\n" + MINIMAL).runtime().workers());
    }

    @Test
    void shouldRejectWorkersOtherThanAutoOrOneTo1024() {
        for (String workers : new String[] {"0", "1025", "-2", "many"}) {
            assertEquals(List.of("test.yaml:1:21: bad workers '" + workers + "': expected auto or a number 1..1024"),
                    errors("runtime: { workers: " + workers + " }\n" + MINIMAL));
        }
    }

    @Test
    void shouldRejectUnknownTransport() throws ConfigException {
        assertEquals(List.of("test.yaml:2:14: unknown transport 'epol': expected one of auto, io_uring, epoll, nio"
                + " (did you mean 'epoll'?)"), errors("runtime:\n  transport: epol\n" + MINIMAL));
        for (String transport : new String[] {"auto", "io_uring", "epoll", "nio"}) {
            assertEquals(transport, parse("runtime: { transport: " + transport + " }\n" + MINIMAL).runtime().transport());
        }
    }

    @Test
    void shouldReportBadDurationAtItsValue() {
        assertEquals(List.of("test.yaml:2:18: bad duration '2x': expected a number with ms, s, m or h"),
                errors("runtime:\n  drain_timeout: 2x\n" + MINIMAL));
    }

    @Test
    void shouldRequireATokenFileWhenAdminIsNotOnLoopback() throws ConfigException {
        assertEquals(List.of("test.yaml:2:9: admin bind 0.0.0.0:9901 is not a loopback address, so token_file is"
                + " required: without a token anyone who can reach it can change the config"),
                errors("admin:\n  bind: 0.0.0.0:9901\n" + MINIMAL));
        AdminConfig admin = parse("admin:\n  bind: 0.0.0.0:9901\n  token_file: /etc/sluice/admin.token\n" + MINIMAL)
                .admin();
        assertEquals(new HostPort("0.0.0.0", 9901), admin.bind());
        assertEquals(java.nio.file.Path.of("/etc/sluice/admin.token"), admin.tokenFile());
    }

    @Test
    void shouldRejectAnAdminBindThatIsNotHostAndPort() {
        assertEquals(List.of("test.yaml:2:9: bad address 'localhost'; expected host:port"),
                errors("admin:\n  bind: localhost\n" + MINIMAL));
    }

    @Test
    void shouldAcceptPortZeroForEveryListenerAndTheAdminApi() throws ConfigException {
        SluiceConfig config = parse("""
                admin: { bind: 127.0.0.1:0 }
                listeners:
                  - { name: a, bind: 127.0.0.1:0 }
                  - { name: b, bind: 127.0.0.1:0 }
                """);
        assertEquals(0, config.admin().bind().port());
        assertEquals(0, config.listeners().get(0).bind().port());
        assertEquals(0, config.listeners().get(1).bind().port());
    }

    @Test
    void shouldRejectAListWhereAMappingIsExpected() {
        assertEquals(List.of("test.yaml:2:3: 'runtime' at the top level must be a mapping, found a list"),
                errors("runtime:\n  - workers: 2\n" + MINIMAL));
    }

    @Test
    void shouldRejectAMappingWhereASingleValueIsExpected() {
        assertEquals(List.of("test.yaml:2:14: 'transport' in runtime must be a single value, found a mapping"),
                errors("runtime:\n  transport: { name: nio }\n" + MINIMAL));
    }

    @Test
    void shouldRejectAKeyWithoutAValueWhereAValueIsNeeded() {
        assertEquals(List.of("test.yaml:2:14: 'token_file' in admin must be a single value, found no value"),
                errors("admin:\n  token_file:\n" + MINIMAL));
    }

    @Test
    void shouldReadASectionWithEverythingCommentedOutAsDefaults() throws ConfigException {
        SluiceConfig config = parse("runtime:\n  # workers: 4\nadmin:\n" + MINIMAL);
        assertEquals(RuntimeConfig.defaults(), config.runtime());
        assertEquals(AdminConfig.defaults(), config.admin());
    }
}
