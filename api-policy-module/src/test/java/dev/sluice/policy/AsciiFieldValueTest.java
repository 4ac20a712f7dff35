package dev.sluice.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsciiFieldValueTest {

    @Test
    void shouldWriteEveryNumberAsLongToStringDoesAroundEachPowerOfTen() {
        AsciiFieldValue out = new AsciiFieldValue(RateLimitFields.MAX_VALUE_LENGTH);
        long power = 1;
        for (int k = 0; k <= 18; k++) {
            for (long v : new long[] {power - 1, power, power + 1, 2 * power - 1, -power}) {
                assertEquals(Long.toString(v), out.clear().append(v).toString());
                assertEquals(Long.toString(Math.abs(v)).length(), AsciiFieldValue.digits(Math.abs(v)), "digits of " + v);
            }
            power = k < 18 ? power * 10 : power;
        }
        for (long v : new long[] {0, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            assertEquals(Long.toString(v), out.clear().append(v).toString());
        }
    }

    @Test
    void shouldAppendConstantsAfterWhatIsAlreadyWritten() {
        AsciiFieldValue out = new AsciiFieldValue(32);
        out.append(AsciiFieldValue.ascii("r=")).append(42).append(AsciiFieldValue.ascii(";t=")).append(7);
        assertEquals("r=42;t=7", out.toString());
        assertEquals(8, out.length());
    }
}
