package io.keygate.gateway.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's Prometheus metrics, kept in memory and written in the text exposition format
 * (version 0.0.4): requests by route, method and status; policy decisions allowed / denied; token
 * verification latency as a histogram. Thread-safe; one instance per gateway.
 */
public final class Metrics {

    /** Upper bounds of the verification latency buckets, in seconds. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private record RequestKey(String route, String method, int status) {
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder latencySum = new java.util.concurrent.atomic.DoubleAdder();
    private final java.util.List<java.util.function.Supplier<String>> sections = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Metrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    /** One answered request; {@code route} is the matched path pattern (never the raw path, to bound cardinality). */
    public void recordRequest(String route, String method, int status) {
        requests.computeIfAbsent(new RequestKey(route, method, status), key -> new LongAdder()).increment();
    }

    /** One policy decision. */
    public void recordDecision(boolean isAllowed) {
        (isAllowed ? allowed : denied).increment();
    }

    /** How long verifying one token took. */
    public void recordVerification(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            if (seconds <= LATENCY_BUCKETS[i]) {
                latencyBuckets[i].increment();
            }
        }
        latencyCount.increment();
        latencySum.add(seconds);
    }

    /** Adds the series another part of the gateway keeps (exposition text), written after these. */
    public void include(java.util.function.Supplier<String> section) {
        sections.add(section);
    }

    /** The exposition text. */
    public String scrape() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP keygate_http_requests_total HTTP requests answered, by route pattern, method and status.\n");
        out.append("# TYPE keygate_http_requests_total counter\n");
        Map<String, Long> lines = new TreeMap<>();
        requests.forEach((key, count) -> lines.put("keygate_http_requests_total{route=\"" + escape(key.route())
                + "\",method=\"" + key.method() + "\",status=\"" + key.status() + "\"}", count.sum()));
        lines.forEach((line, count) -> out.append(line).append(' ').append(count).append('\n'));
        out.append("# HELP keygate_policy_decisions_total Authorization decisions, by outcome.\n");
        out.append("# TYPE keygate_policy_decisions_total counter\n");
        out.append("keygate_policy_decisions_total{decision=\"allowed\"} ").append(allowed.sum()).append('\n');
        out.append("keygate_policy_decisions_total{decision=\"denied\"} ").append(denied.sum()).append('\n');
        out.append("# HELP keygate_token_verification_seconds Time spent verifying bearer tokens.\n");
        out.append("# TYPE keygate_token_verification_seconds histogram\n");
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            out.append("keygate_token_verification_seconds_bucket{le=\"")
                    .append(java.math.BigDecimal.valueOf(LATENCY_BUCKETS[i]).stripTrailingZeros().toPlainString()).append("\"} ")
                    .append(latencyBuckets[i].sum()).append('\n');
        }
        out.append("keygate_token_verification_seconds_bucket{le=\"+Inf\"} ").append(latencyCount.sum()).append('\n');
        out.append("keygate_token_verification_seconds_sum ").append(latencySum.sum()).append('\n');
        out.append("keygate_token_verification_seconds_count ").append(latencyCount.sum()).append('\n');
        sections.forEach(section -> out.append(section.get()));
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
