/**
 * The optional API policy (CONTRACT.md section 6): API keys, per-consumer rate limits and calendar quotas, and
 * version routing, as a filter found through {@link java.util.ServiceLoader} when the config has a
 * {@code policy:} section. Entry points: {@link dev.sluice.policy.PolicyFilterProvider} (the section's owner) and
 * {@link dev.sluice.policy.PolicyFilterFactory} (one filter per event loop, the {@code /api/v1/consumers} admin
 * endpoint and the metrics).
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Keys.</b> 256 random bits from {@code SecureRandom} ({@code sk_} + base64url), with a public 64-bit
 *       key id. Only SHA-256 hashes are stored; a presented key is hashed on the loop (reused digest and buffers)
 *       and looked up in an immutable {@code KeyIndex} snapshot that compares the whole hash in constant
 *       time. Admin changes write the store first, then publish a new snapshot with one
 *       volatile write: a revoked key is refused from the next request on, on every loop. Hashing costs more than
 *       the rest of the policy together, so each loop keeps a {@code KeyCache} of the raw keys it found
 *       (compared in constant time, never written or logged, sized to the snapshot: 176 bytes per key, at most
 *       5.5 MiB per loop, so a loop that sees every consumer keeps nearly all of them): a client that sends its key
 *       again skips the hash. A new snapshot does not empty the cache: a key cached under an older one is checked
 *       again by its hash in the current snapshot (one probe) before it answers, so revocation is as immediate as
 *       without the cache and an admin change costs the other cached keys no hash. The key header and an
 *       {@code Authorization: Bearer} field that carried a key are removed before forwarding; the backend gets
 *       {@code X-Consumer} (a client's own {@code X-Consumer} is always removed).</li>
 *   <li><b>Rate limits across loops.</b> One shared token bucket per consumer, kept as a single GCRA
 *       "theoretical arrival time" in a field of the consumer and advanced by compare-and-set. The limit is exact
 *       whatever loop a request lands on: over-admission is zero. Per-loop buckets of rate/N were rejected
 *       because SO_REUSEPORT may put all of a consumer's connections on one loop, which would cut it to 1/N of
 *       its plan (or, with full-rate buckets per loop, admit N times it). The cost is one CAS on a line shared
 *       only by loops serving the same consumer at the same moment.</li>
 *   <li><b>Quotas.</b> One 64-bit word per consumer in a memory-mapped store file (period kind, period number,
 *       count), updated by compare-and-set directly in the shared mapping: no lock, exact across loops and
 *       processes. A request is counted <em>before</em> it is admitted (reserve-then-admit), so a crash can only
 *       leave a request counted but not served: the quota is never exceeded, {@code kill -9} included (the
 *       kernel keeps the mapped page). A rate-limited request spends no quota. Periods are calendar-aligned in
 *       UTC; a new period starts the count at 0 on its first request, and a request from a loop whose clock is still
 *       in the period before is counted in the new one (restarting the old period would lose both counts).</li>
 *   <li><b>Locks.</b> The loops never take one: they read the volatile key snapshot, CAS the bucket and CAS the
 *       quota word through its native address, obtained once per consumer at load or creation. The store's segment
 *       locks are taken only on the admin or startup thread, for the microseconds of one entry update.</li>
 *   <li><b>Rate-limit fields.</b> draft-ietf-httpapi-ratelimit-headers (draft 09 on): structured-field lists,
 *       {@code RateLimit-Policy: "rate";q=100;w=1, "quota";q=1000;w=86400} and
 *       {@code RateLimit: "rate";r=42;t=1, "quota";r=900;t=3600} ({@code r} left, {@code t} seconds until the
 *       bucket is full again or the quota period ends). They are sent on admitted responses and on 429s, which
 *       also carry {@code Retry-After}; on an admitted response they describe the state at admission, and the
 *       {@code RateLimit} value is written into a buffer of the pooled exchange, not a new string.</li>
 *   <li><b>Time.</b> No clock read per request: an admitted request's time is the one the data plane read when
 *       its head arrived ({@code FilterContext.requestStartNanos()}); the loop's {@code LoopClock} derives the wall
 *       clock from it between reads once a second, and remembers the current quota periods. A clock read costs as
 *       much as the whole quota reservation on a VM.</li>
 *   <li><b>Versions.</b> {@code Deprecation: @<epoch seconds>} (RFC 9745) and {@code Sunset: <IMF-fixdate>}
 *       (RFC 8594). A single date in {@code deprecated} is used for both; {@code {deprecation, sunset}} sets
 *       them apart.</li>
 * </ul>
 *
 * <h2>Running</h2>
 * The store needs these JVM options on Java 17: {@code --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
 * --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
 * --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
 * --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 * --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 * --add-opens=java.base/java.util=ALL-UNNAMED -Dchronicle.analytics.disable=true
 * -Dchronicle.announcer.disable=true}.
 */
package dev.sluice.policy;
