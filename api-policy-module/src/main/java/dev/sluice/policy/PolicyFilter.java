package dev.sluice.policy;

import dev.sluice.core.filter.FilterContext;
import dev.sluice.core.filter.FilterResult;
import dev.sluice.core.filter.HttpFilter;
import dev.sluice.policy.config.Plan;
import dev.sluice.policy.config.Quota;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.util.ArrayDeque;

/**
 * The API policy on one event loop: finds the api a request belongs to, checks its key, its version, its
 * consumer's rate and quota, then routes it to the version's cluster with {@code X-Consumer} and without the key.
 * Confined to its loop (its digest, buffers, exchange pool and admitted counts); the state it shares (key
 * snapshot, buckets, quota words, refusal counters) is lock-free. Never blocks, never throws. An admitted request
 * allocates nothing of the policy's own but, for a path version, the shortened URI; Netty's header map allocates
 * an entry for each field set ({@code X-Consumer}, and {@code RateLimit-Policy} and {@code RateLimit} on the
 * response). Refusals may allocate.
 */
final class PolicyFilter implements HttpFilter {

    static final AsciiString X_CONSUMER = AsciiString.cached("X-Consumer");
    static final AsciiString DEPRECATION = AsciiString.cached("Deprecation");
    static final AsciiString SUNSET = AsciiString.cached("Sunset");

    private final ApiRoute[] apis;
    private final HttpHeaders[] unauthorizedHeaders;
    private final String[] unauthorizedBodies;
    private final ConsumerRegistry registry;
    private final LoopClock time;
    /** Whether an api matches on {@code X-Consumer}: then the client's field goes before matching, not after. */
    private final boolean matchesOnConsumerField;
    private final LoopCounts allowed;
    private final KeyHasher hasher = new KeyHasher();
    private final ArrayDeque<PolicyExchange> pool = new ArrayDeque<>();

    /** A filter whose admitted counts go to {@code allowed}, which no other loop writes. */
    PolicyFilter(ApiRoute[] apis, ConsumerRegistry registry, PolicyClock clock, LoopCounts allowed) {
        this.apis = apis;
        this.allowed = allowed;
        this.registry = registry;
        this.time = new LoopClock(clock);
        boolean consumerField = false;
        for (ApiRoute api : apis) {
            consumerField |= api.matchesOnField(X_CONSUMER);
        }
        this.matchesOnConsumerField = consumerField;
        this.unauthorizedHeaders = new HttpHeaders[apis.length];
        this.unauthorizedBodies = new String[apis.length];
        for (int i = 0; i < apis.length; i++) {
            unauthorizedHeaders[i] = new DefaultHttpHeaders()
                    .set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=" + Json.quote(apis[i].name));
            unauthorizedBodies[i] = Json.error("unauthorized", "a valid API key is required: send it in the "
                    + apis[i].keyHeader + " header or as Authorization: Bearer <key>", null);
        }
    }

    @Override
    public FilterResult onRequestHead(FilterContext ctx, HttpRequest req) {
        HttpHeaders h = req.headers();
        // only the policy names consumers to backends: a client's X-Consumer is replaced or removed before the
        // request goes on, and before matching only when a match could see it (that costs a lookup per request)
        if (matchesOnConsumerField) {
            h.remove(X_CONSUMER);
        }
        int i = 0;
        int v = ApiRoute.NO_MATCH;
        while (i < apis.length && (v = apis[i].match(req)) == ApiRoute.NO_MATCH) {
            i++;
        }
        if (v == ApiRoute.NO_MATCH) {
            h.remove(X_CONSUMER);
            return FilterResult.CONTINUE;
        }
        ApiRoute api = apis[i];
        Consumer consumer = null;
        if (api.apiKey) {
            KeyIndex.Entry key = authenticate(api, h);
            if (key == null || key.revoked()) {
                api.unauthorized.increment();
                if (key != null) {
                    key.consumer().unauthorized.increment();
                }
                ctx.respond(HttpResponseStatus.UNAUTHORIZED, unauthorizedHeaders[i], unauthorizedBodies[i]);
                return FilterResult.RESPONDED;
            }
            consumer = key.consumer();
        }
        h.remove(api.keyHeader); // keys never go upstream
        if (v == ApiRoute.UNKNOWN_VERSION) {
            ctx.respond(HttpResponseStatus.BAD_REQUEST, null, api.unknownVersionBody(api.requestedVersion(req)));
            return FilterResult.RESPONDED;
        }
        PolicyExchange x = null;
        if (consumer != null) {
            x = admit(ctx, consumer);
            if (x == null) {
                return FilterResult.RESPONDED;
            }
            h.set(X_CONSUMER, consumer.nameField); // replaces the client's
        } else {
            h.remove(X_CONSUMER);
        }
        if (v >= 0) {
            ApiVersion version = api.versions[v];
            ctx.routeTo(version.cluster);
            api.stripPathVersion(req);
            if (version.deprecationField != null) {
                x = x != null ? x : exchange();
                x.version = version;
            }
        }
        ctx.setAttachment(x);
        return FilterResult.CONTINUE;
    }

    /** The key's entry, or {@code null} for no or an unknown key. Removes the Bearer field that carried a key. */
    private KeyIndex.Entry authenticate(ApiRoute api, HttpHeaders h) {
        String value = h.get(api.keyHeader);
        int from = 0;
        boolean bearer = false;
        if (value == null) {
            String auth = h.get(HttpHeaderNames.AUTHORIZATION);
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            value = auth;
            from = 7;
            bearer = true;
        }
        KeyIndex.Entry entry = hasher.find(registry.index(), value, from, value.length());
        if (bearer && entry != null) {
            h.remove(HttpHeaderNames.AUTHORIZATION);
        }
        return entry;
    }

    /**
     * Takes a rate token and reserves a quota unit; answers 429 and returns {@code null} when either is out. The
     * time is the request's arrival, which the data plane read ({@link FilterContext#requestStartNanos}), taken
     * once, here: the response's {@code RateLimit} field describes the state at admission.
     */
    private PolicyExchange admit(FilterContext ctx, Consumer consumer) {
        Consumer.Limits limits = consumer.limits();
        Plan plan = limits.plan();
        time.tick(ctx.requestStartNanos()); // the data plane's reading: no clock read of the policy's own
        long nowNanos = time.nanos();
        long rateLeft = 0;
        if (plan.rate() != null) {
            rateLeft = consumer.tryAcquireToken(nowNanos, limits.intervalNanos(), plan.burst());
            if (rateLeft < 0) {
                consumer.rateLimited.increment();
                long retry = RateLimitFields.ceilSeconds(-1 - rateLeft, 1);
                reject(ctx, consumer, limits, "rate_limited", "the rate limit of plan '" + plan.name()
                        + "' is reached: retry after " + retry + " s", retry, 0, -1);
                return null;
            }
        }
        long used = 0;
        long quotaReset = 0;
        Quota quota = plan.quota();
        if (quota != null) {
            used = consumer.quota().tryReserveIn(quota.limit(), quota.period(), time.periodIndex(quota.period()));
            quotaReset = RateLimitFields.ceilSeconds(
                    (time.periodEndMillis(quota.period()) - time.millis()) * 1_000_000L, 0);
            if (used < 0) {
                consumer.quotaExceeded.increment();
                long retry = Math.max(1, quotaReset);
                long left = plan.rate() == null ? 0
                        : consumer.tokensAvailable(nowNanos, limits.intervalNanos(), plan.burst());
                reject(ctx, consumer, limits, "quota_exceeded", "the quota of " + quota.limit() + " requests per "
                        + quota.period().configName() + " is used up: it resets in " + retry + " s", retry, left,
                        quota.limit());
                return null;
            }
        }
        allowed.increment(consumer.number());
        PolicyExchange x = exchange();
        x.consumer = consumer;
        x.limits = limits;
        x.rateLeft = rateLeft;
        x.rateReset = plan.rate() == null ? 0
                : RateLimitFields.ceilSeconds(consumer.nanosUntilBucketFull(nowNanos), 0);
        x.quotaLeft = quota == null ? 0 : Math.max(0, quota.limit() - used);
        x.quotaReset = quotaReset;
        return x;
    }

    /** Answers 429 with {@code Retry-After} and the rate-limit fields (refusals may allocate: they are rare). */
    private void reject(FilterContext ctx, Consumer consumer, Consumer.Limits limits, String code, String message,
                        long retry, long rateLeft, long quotaUsed) {
        HttpHeaders headers = new DefaultHttpHeaders().set(RateLimitFields.RETRY_AFTER, retry);
        if (limits.policyField() != null) {
            Plan plan = limits.plan();
            long nowMillis = time.millis();
            long used = quotaUsed >= 0 || plan.quota() == null ? quotaUsed
                    : consumer.quota().used(plan.quota().period(), nowMillis);
            long rateReset = RateLimitFields.ceilSeconds(consumer.nanosUntilBucketFull(time.nanos()), 0);
            long quotaLeft = 0;
            long quotaReset = 0;
            if (plan.quota() != null) {
                quotaLeft = Math.max(0, plan.quota().limit() - used);
                quotaReset = RateLimitFields.ceilSeconds(
                        (time.periodEndMillis(plan.quota().period()) - nowMillis) * 1_000_000L, 0);
            }
            headers.set(RateLimitFields.POLICY, limits.policyField());
            headers.set(RateLimitFields.RATELIMIT,
                    RateLimitFields.value(plan, rateLeft, rateReset, quotaLeft, quotaReset));
        }
        ctx.respond(HttpResponseStatus.TOO_MANY_REQUESTS, headers, Json.error(code, message, null));
    }

    /** The policy only sets fields: the proxy can write the backend's head as received, with them in place. */
    @Override
    public boolean readsResponseHead() {
        return false;
    }

    /** What {@link #setResponseFields} sets, set on {@code head}; the proxy calls that instead. */
    @Override
    public void onResponseHead(FilterContext ctx, HttpResponse head) {
        setResponseFields(ctx, head.headers());
    }

    @Override
    public void setResponseFields(FilterContext ctx, HttpHeaders headers) {
        if (!(ctx.attachment() instanceof PolicyExchange x)) {
            return;
        }
        if (x.version != null) {
            headers.set(DEPRECATION, x.version.deprecationField);
            headers.set(SUNSET, x.version.sunsetField);
        }
        if (x.consumer != null && x.limits.policyField() != null) {
            headers.set(RateLimitFields.POLICY, x.limits.policyField());
            // rendered in place: the exchange, and so its buffer, is reused only after the head has been written
            headers.set(RateLimitFields.RATELIMIT, RateLimitFields.render(x.rateLimit, x.limits.plan(), x.rateLeft,
                    x.rateReset, x.quotaLeft, x.quotaReset));
        }
    }

    @Override
    public void onComplete(FilterContext ctx) {
        if (ctx.attachment() instanceof PolicyExchange x) {
            x.clear();
            pool.addLast(x);
            ctx.setAttachment(null);
        }
    }

    private PolicyExchange exchange() {
        PolicyExchange x = pool.pollLast();
        return x != null ? x : new PolicyExchange();
    }
}
