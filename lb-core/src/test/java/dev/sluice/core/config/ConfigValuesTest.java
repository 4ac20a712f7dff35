package dev.sluice.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigValuesTest {

    private static String durationError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseDuration(text)).getMessage();
    }

    private static String sizeError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseSize(text)).getMessage();
    }

    @Test
    void shouldParseDurationsInEveryUnit() {
        assertEquals(Duration.ofMillis(250), ConfigValues.parseDuration("250ms"));
        assertEquals(Duration.ofSeconds(2), ConfigValues.parseDuration("2s"));
        assertEquals(Duration.ofMinutes(1), ConfigValues.parseDuration("1m"));
        assertEquals(Duration.ofHours(1), ConfigValues.parseDuration("1h"));
        assertEquals(Duration.ZERO, ConfigValues.parseDuration("0"));
        assertEquals(Duration.ZERO, ConfigValues.parseDuration("0s"));
    }

    @Test
    void shouldRejectDurationWithoutAKnownUnit() {
        assertEquals("bad duration '2x': expected a number with ms, s, m or h", durationError("2x"));
        assertEquals("bad duration '10': expected a number with ms, s, m or h", durationError("10"));
        assertEquals("bad duration '1.5s': expected a number with ms, s, m or h", durationError("1.5s"));
        assertEquals("bad duration 's': expected a number with ms, s, m or h", durationError("s"));
        assertEquals("bad duration '': expected a number with ms, s, m or h", durationError(""));
        assertEquals("bad duration '2S': expected a number with ms, s, m or h", durationError("2S"));
    }

    @Test
    void shouldRejectNegativeDuration() {
        assertEquals("bad duration '-1s': durations cannot be negative", durationError("-1s"));
    }

    @Test
    void shouldRejectDurationThatDoesNotFitInNanoseconds() {
        assertEquals("duration '9999999h' is too large", durationError("9999999h"));
        assertEquals("duration '99999999999999999999ms' is too large", durationError("99999999999999999999ms"));
        assertEquals(Duration.ofHours(2_000_000), ConfigValues.parseDuration("2000000h"));
    }

    @Test
    void shouldParseSizesInBytesAndBinaryUnits() {
        assertEquals(512, ConfigValues.parseSize("512"));
        assertEquals(0, ConfigValues.parseSize("0"));
        assertEquals(64 * 1024, ConfigValues.parseSize("64KiB"));
        assertEquals(10L * 1024 * 1024, ConfigValues.parseSize("10MiB"));
        assertEquals(1024L * 1024 * 1024, ConfigValues.parseSize("1GiB"));
    }

    @Test
    void shouldRejectSizeWithAnUnknownUnit() {
        assertEquals("bad size '10MB': expected bytes or a number with KiB, MiB or GiB", sizeError("10MB"));
        assertEquals("bad size 'KiB': expected bytes or a number with KiB, MiB or GiB", sizeError("KiB"));
        assertEquals("bad size '1.5GiB': expected bytes or a number with KiB, MiB or GiB", sizeError("1.5GiB"));
    }

    @Test
    void shouldRejectNegativeSize() {
        assertEquals("bad size '-1': sizes cannot be negative", sizeError("-1"));
    }

    @Test
    void shouldRejectSizeThatOverflows() {
        assertEquals("size '9999999999GiB' is too large", sizeError("9999999999GiB"));
        assertEquals("size '99999999999999999999' is too large", sizeError("99999999999999999999"));
        assertEquals(8589934591L * 1024 * 1024 * 1024, ConfigValues.parseSize("8589934591GiB"));
    }

    @Test
    void shouldAcceptOnlyHttpTokens() {
        assertTrue(ConfigValues.isToken("x-canary"));
        assertTrue(ConfigValues.isToken("X_Odd.Name~1"));
        assertFalse(ConfigValues.isToken(""));
        assertFalse(ConfigValues.isToken("x canary"));
        assertFalse(ConfigValues.isToken("x:y"));
        assertFalse(ConfigValues.isToken("caf\u00e9"));
    }

    @Test
    void shouldAcceptEveryHashKeyForm() {
        for (String key : new String[] {"client_ip", "path", "header:x-user", "cookie:session", "query:id"}) {
            assertEquals(key, ConfigValues.checkHashKey(key));
        }
    }

    @Test
    void shouldRejectHashKeyWithoutATokenName() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ConfigValues.checkHashKey("header:"));
        assertEquals("bad hash_key 'header:': the name after 'header:' must be a non-empty HTTP token"
                + " (letters, digits and !#$%&'*+-.^_`|~)", empty.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ConfigValues.checkHashKey("source_ip"));
        assertEquals("bad hash_key 'source_ip': expected client_ip, path, header:NAME, cookie:NAME or query:NAME",
                unknown.getMessage());
    }
}
