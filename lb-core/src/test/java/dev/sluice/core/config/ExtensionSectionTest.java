package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.core.config.TestConfigs.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Extension sections through the public entry point, so the provider is found the production way: by
 * {@link java.util.ServiceLoader}, from {@code META-INF/services} in the test resources ({@link TestSectionProvider}).
 */
class ExtensionSectionTest {

    private static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("test.yaml", yaml));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldValidateAndKeepASectionClaimedByAProvider() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("test.yaml", MINIMAL + "test_extension:\n  cluster: web\n");
        ConfigNode section = config.extensions().get("test_extension");
        assertEquals("test.yaml:11:3", section.position());
        assertEquals("web", section.get("cluster").text());
        assertEquals(List.of("test_extension"), List.copyOf(config.extensions().keySet()));
    }

    @Test
    void shouldReportTheProvidersErrorsForItsSection() {
        assertEquals(List.of("test.yaml:11:12: unknown cluster 'nope' in test_extension"),
                errors(MINIMAL + "test_extension:\n  cluster: nope\n"));
    }

    @Test
    void shouldReportATopLevelSectionNoProviderClaimsAsAnUnknownKey() {
        assertEquals(List.of("test.yaml:10:1: unknown key 'policy' at the top level: expected one of runtime, admin,"
                + " listeners, clusters, test_extension, test_filter, test_append_filter"),
                errors(MINIMAL + "policy:\n  plans: {}\n"));
    }

    @Test
    void shouldSuggestAClaimedSectionForAMisspeltKey() {
        assertEquals(List.of("test.yaml:10:1: unknown key 'test_extention' at the top level (did you mean"
                + " 'test_extension'?)"), errors(MINIMAL + "test_extention:\n  cluster: web\n"));
    }

    @Test
    void shouldNotAskTheProviderUntilTheCoreSectionsAreValid() {
        // the section is wrong too, but its provider may rely on a valid core, so only the core error is reported
        assertEquals(List.of("test.yaml:2:12: bad workers 'lots': expected auto or a number 1..1024"),
                errors("runtime:\n  workers: lots\n" + MINIMAL + "test_extension:\n  cluster: nope\n"));
    }

    @Test
    void shouldReportASectionThatTwoProvidersClaim() {
        ConfigCatalog catalog = new ConfigCatalog(List.of("round_robin"),
                List.of(new TestSectionProvider(), new TestSectionProvider()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("test.yaml", MINIMAL + "test_extension:\n  cluster: web\n", null, catalog));
        assertEquals(List.of("test.yaml:10:1: section 'test_extension' is claimed by more than one filter module"
                + " (dev.sluice.core.config.TestSectionProvider and dev.sluice.core.config.TestSectionProvider):"
                + " install only one of them"), e.errors().stream().map(ConfigError::toString).toList());
    }
}
