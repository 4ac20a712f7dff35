package dev.sluice.health;

import dev.sluice.core.config.HostPort;
import dev.sluice.core.config.OutlierConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Passive outlier detection for one cluster: a pure state machine that, given the time and the data plane's
 * failure counters, decides which backends to eject and which to return. It owns no thread and no clock;
 * {@link ClusterHealth} calls it from the health loop every poll.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>Ejection</b>: a backend whose consecutive failures (merged over loops as {@link FailureStreak}
 *       describes) reach {@code consecutive_failures} is ejected for {@code base_ejection × n}, where {@code n}
 *       is its ejection multiplier after this ejection (1 the first time, one more each time it is ejected
 *       again).</li>
 *   <li><b>Cap</b>: an ejection lasts at most {@code max(300 s, base_ejection)} (300 s as Envoy's default
 *       {@code max_ejection_time}; never less than one base period). The multiplier stops growing once the
 *       cap is reached, so that it can decay back in a bounded time.</li>
 *   <li><b>Decay</b>: for every full {@code base_ejection} a backend spends back in rotation without being
 *       ejected, its multiplier drops by one. Failures that do not reach the threshold do not stop the decay.
 *       </li>
 *   <li><b>Max percent</b>: an ejection is refused when it would make more than {@code max_ejection_percent}
 *       of the cluster's backends ejected at once, except that one backend may always be ejected when none
 *       is (as Envoy does: with 3 backends and 10% one may still be ejected). {@code max_ejection_percent: 0}
 *       turns ejection off. A refused backend stays a candidate and is ejected at a later poll once room
 *       frees up; each refused candidacy is counted once in {@link #overflows()}.</li>
 *   <li><b>Return</b>: at the first poll at or after the ejection's end. Failures counted while ejected
 *       (possible in panic mode, when ejected backends still get traffic) are ignored, and a returned
 *       backend starts with no failures.</li>
 *   <li>A backend that leaves the cluster is forgotten, which frees its ejection slot.</li>
 * </ul>
 *
 * <p>Not thread-safe: confined to the thread that calls {@link #evaluate} (the health loop). Times are
 * {@link System#nanoTime()}-style values from the caller's clock.
 */
public final class OutlierDetector {

    /** The ejection cap when {@code base_ejection} is smaller. */
    public static final Duration DEFAULT_MAX_EJECTION = Duration.ofSeconds(300);

    private final long threshold;
    private final long baseNanos;
    private final long capNanos;
    private final int maxPercent;
    private final Map<HostPort, Entry> entries = new HashMap<>();
    private long overflows;

    /**
     * @throws IllegalArgumentException when the config is out of range (config validation should catch it)
     */
    public OutlierDetector(OutlierConfig config) {
        if (config.consecutiveFailures() < 1) {
            throw new IllegalArgumentException("outlier_detection.consecutive_failures must be at least 1, got "
                    + config.consecutiveFailures());
        }
        Duration base = config.baseEjection();
        if (base == null || base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("outlier_detection.base_ejection must be positive, got " + base);
        }
        if (config.maxEjectionPercent() < 0 || config.maxEjectionPercent() > 100) {
            throw new IllegalArgumentException("outlier_detection.max_ejection_percent must be 0..100, got "
                    + config.maxEjectionPercent());
        }
        this.threshold = config.consecutiveFailures();
        this.baseNanos = base.toNanos();
        this.capNanos = Math.max(baseNanos, DEFAULT_MAX_EJECTION.toNanos());
        this.maxPercent = config.maxEjectionPercent();
    }

    /**
     * Takes one poll: forgets backends that are gone, returns expired ejections, reads every backend's
     * counters from {@code source} and ejects what the rules allow, in the order of {@code backends}.
     *
     * @param nowNanos the caller's clock
     * @param backends the cluster's backends now, in a stable order (it decides who is ejected first when
     *                 the max percent leaves room for only some)
     * @return the decisions of this poll, returns first; empty when nothing changed
     */
    public List<OutlierDecision> evaluate(long nowNanos, Collection<HostPort> backends, FailureSource source) {
        Set<HostPort> present = backends instanceof Set ? (Set<HostPort>) backends : new HashSet<>(backends);
        entries.keySet().retainAll(present);
        List<OutlierDecision> decisions = new ArrayList<>(0);
        int ejected = 0;
        for (HostPort b : backends) {
            Entry e = entries.computeIfAbsent(b, k -> new Entry(nowNanos));
            e.streak.update(source.read(b));
            if (!e.ejected) {
                continue;
            }
            // Failures counted while ejected (panic-mode traffic, or before this poll) never count later.
            e.streak.reset();
            if (nowNanos - e.returnAtNanos >= 0) {
                decisions.add(release(b, e, nowNanos));
            } else {
                ejected++;
            }
        }
        for (HostPort b : backends) {
            Entry e = entries.get(b);
            if (e.ejected) {
                continue;
            }
            decay(e, nowNanos);
            long run = e.streak.current();
            if (run < threshold) {
                e.overflowed = false;
                continue;
            }
            if (!mayEject(ejected, backends.size())) {
                if (!e.overflowed) {
                    e.overflowed = true;
                    overflows++;
                }
                continue;
            }
            decisions.add(eject(b, e, run, nowNanos));
            ejected++;
        }
        return decisions;
    }

    private boolean mayEject(int ejectedNow, int clusterSize) {
        if (maxPercent == 0) {
            return false;
        }
        // Integer arithmetic: (ejected + 1) / size <= percent / 100, without rounding surprises.
        return ejectedNow == 0 || (ejectedNow + 1) * 100L <= (long) maxPercent * clusterSize;
    }

    private void decay(Entry e, long nowNanos) {
        while (e.multiplier > 0 && nowNanos - e.cleanSinceNanos >= baseNanos) {
            e.multiplier--;
            e.cleanSinceNanos += baseNanos;
        }
    }

    private OutlierDecision release(HostPort b, Entry e, long nowNanos) {
        e.ejected = false;
        e.cleanSinceNanos = nowNanos;
        long lasted = nowNanos - e.ejectedAtNanos;
        return new OutlierDecision(b, OutlierDecision.Kind.RETURN, Duration.ofNanos(lasted),
                "ejection of " + seconds(e.returnAtNanos - e.ejectedAtNanos) + " ended");
    }

    private OutlierDecision eject(HostPort b, Entry e, long run, long nowNanos) {
        if (baseNanos * e.multiplier < capNanos) {
            e.multiplier++;
        }
        long duration = Math.min(baseNanos * e.multiplier, capNanos);
        e.ejected = true;
        e.overflowed = false;
        e.ejectedAtNanos = nowNanos;
        e.returnAtNanos = nowNanos + duration;
        e.ejections++;
        e.streak.reset();
        return new OutlierDecision(b, OutlierDecision.Kind.EJECT, Duration.ofNanos(duration),
                run + " consecutive failures; ejected for " + seconds(duration));
    }

    private static String seconds(long nanos) {
        long millis = nanos / 1_000_000;
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    /** Whether {@code backend} is ejected now. */
    public boolean isEjected(HostPort backend) {
        Entry e = entries.get(backend);
        return e != null && e.ejected;
    }

    /**
     * The ejection multiplier of {@code backend}: the base periods its latest ejection lasted, less what has
     * decayed since; 0 when never ejected or fully decayed. Its next ejection lasts one base period more.
     */
    public int multiplier(HostPort backend) {
        Entry e = entries.get(backend);
        return e == null ? 0 : e.multiplier;
    }

    /** How many times {@code backend} was ejected since the detector first saw it. */
    public long ejections(HostPort backend) {
        Entry e = entries.get(backend);
        return e == null ? 0 : e.ejections;
    }

    /** How many ejections the max percent refused (each candidacy counted once). */
    public long overflows() {
        return overflows;
    }

    /** The longest an ejection can last. */
    public Duration maxEjection() {
        return Duration.ofNanos(capNanos);
    }

    /** One backend's detection state. Confined to the detector's thread. */
    private static final class Entry {
        final FailureStreak streak = new FailureStreak();
        boolean ejected;
        boolean overflowed;
        int multiplier;
        long ejections;
        long ejectedAtNanos;
        long returnAtNanos;
        long cleanSinceNanos;

        Entry(long nowNanos) {
            this.cleanSinceNanos = nowNanos;
        }
    }
}
