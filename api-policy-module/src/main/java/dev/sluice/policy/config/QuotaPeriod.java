package dev.sluice.policy.config;

/**
 * A quota period, aligned to the UTC calendar: a minute, hour or day starts on its boundary, a month on the
 * first day at 00:00 UTC. Periods are numbered from the Unix epoch (period 0 starts at 1970-01-01T00:00Z).
 * Stateless; the methods allocate nothing, so the data plane may call them per request.
 */
public enum QuotaPeriod {
    MINUTE("minute", 60_000L),
    HOUR("hour", 3_600_000L),
    DAY("day", 86_400_000L),
    MONTH("month", 0L);

    private static final long DAY_MILLIS = 86_400_000L;

    private final String configName;
    private final long fixedMillis;

    QuotaPeriod(String configName, long fixedMillis) {
        this.configName = configName;
        this.fixedMillis = fixedMillis;
    }

    /** The word used after the slash in the config ({@code 1000/day}). */
    public String configName() {
        return configName;
    }

    /** Parses the word after the slash, or returns {@code null}. */
    public static QuotaPeriod parse(String word) {
        for (QuotaPeriod p : values()) {
            if (p.configName.equals(word)) {
                return p;
            }
        }
        return null;
    }

    /** The number of the period containing {@code epochMillis} (which must not be before 1970). */
    public long index(long epochMillis) {
        if (this != MONTH) {
            return epochMillis / fixedMillis;
        }
        long days = epochMillis / DAY_MILLIS;
        long ym = yearMonthOfDay(days);
        return (ym >>> 4) * 12 - 1970 * 12 + (ym & 0xF) - 1;
    }

    /** When period {@code index} starts, in epoch milliseconds. */
    public long startMillis(long index) {
        if (this != MONTH) {
            return index * fixedMillis;
        }
        long year = 1970 + index / 12;
        long month = index % 12 + 1;
        return daysFromCivil(year, month, 1) * DAY_MILLIS;
    }

    /** When the period containing {@code epochMillis} ends (the next one starts), in epoch milliseconds. */
    public long endMillis(long epochMillis) {
        return startMillis(index(epochMillis) + 1);
    }

    /** (year << 4) | month of a day number since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
    private static long yearMonthOfDay(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return (year << 4) | month;
    }

    /** Day number since 1970-01-01 of a calendar date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(long year, long month, long day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
