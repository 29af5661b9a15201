package io.keygate.gateway.freshness;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus series of the security-event feeds (text exposition 0.0.4): SETs received and applied
 * by event type, rejected by reason, the delivery lag (event time to applied) as a histogram, live
 * role lookups by outcome, and per issuer the seconds since its stream was last known healthy.
 */
final class FeedMetrics {

    /** Upper bounds of the lag buckets, in seconds. */
    static final double[] LAG_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> applied = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> lookups = new ConcurrentHashMap<>();
    private final LongAdder[] lag = new LongAdder[LAG_BUCKETS.length];
    private final LongAdder lagCount = new LongAdder();
    private final DoubleAdder lagSum = new DoubleAdder();
    private final Map<String, ToDoubleFunction<Long>> healthyAge = new ConcurrentHashMap<>();

    FeedMetrics() {
        for (int i = 0; i < lag.length; i++) {
            lag[i] = new LongAdder();
        }
    }

    void received(String type) {
        count(received, type);
    }

    void applied(String type, double lagSeconds) {
        count(applied, type);
        for (int i = 0; i < LAG_BUCKETS.length; i++) {
            if (lagSeconds <= LAG_BUCKETS[i]) {
                lag[i].increment();
            }
        }
        lagCount.increment();
        lagSum.add(Math.max(0, lagSeconds));
    }

    void rejected(String reason) {
        count(rejected, reason);
    }

    void lookup(String outcome) {
        count(lookups, outcome);
    }

    long rejectedCount(String reason) {
        LongAdder adder = rejected.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    long appliedCount(String type) {
        LongAdder adder = applied.get(type);
        return adder == null ? 0 : adder.sum();
    }

    long lookupCount(String outcome) {
        LongAdder adder = lookups.get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    /** Registers the gauge of one issuer's feed: seconds since healthy, given the current time in millis. */
    void healthyAge(String issuer, ToDoubleFunction<Long> secondsSinceHealthy) {
        healthyAge.put(issuer, secondsSinceHealthy);
    }

    private static void count(Map<String, LongAdder> counters, String label) {
        counters.computeIfAbsent(label, l -> new LongAdder()).increment();
    }

    String scrape() {
        StringBuilder out = new StringBuilder();
        counter(out, "keygate_events_received_total", "Security Event Tokens received, by event type (unverified: refused before it was known).", "type", received);
        counter(out, "keygate_events_applied_total", "Security Event Tokens verified and applied, by event type.", "type", applied);
        counter(out, "keygate_events_rejected_total", "Security Event Tokens refused, by reason; they changed nothing.", "reason", rejected);
        counter(out, "keygate_events_live_lookups_total", "Live role lookups (token introspection) for tokens the events could not vouch for, by outcome.", "outcome", lookups);
        out.append("# HELP keygate_events_delivery_lag_seconds Time from a change (event_timestamp) to it being applied here.\n");
        out.append("# TYPE keygate_events_delivery_lag_seconds histogram\n");
        for (int i = 0; i < LAG_BUCKETS.length; i++) {
            out.append("keygate_events_delivery_lag_seconds_bucket{le=\"").append(BigDecimal.valueOf(LAG_BUCKETS[i]).stripTrailingZeros().toPlainString())
                    .append("\"} ").append(lag[i].sum()).append('\n');
        }
        out.append("keygate_events_delivery_lag_seconds_bucket{le=\"+Inf\"} ").append(lagCount.sum()).append('\n');
        out.append("keygate_events_delivery_lag_seconds_sum ").append(lagSum.sum()).append('\n');
        out.append("keygate_events_delivery_lag_seconds_count ").append(lagCount.sum()).append('\n');
        out.append("# HELP keygate_events_stream_unhealthy_seconds Seconds since the issuer's event stream was last known healthy (0: healthy now).\n");
        out.append("# TYPE keygate_events_stream_unhealthy_seconds gauge\n");
        long now = System.currentTimeMillis();
        new TreeMap<>(healthyAge).forEach((issuer, age) -> out.append("keygate_events_stream_unhealthy_seconds{issuer=\"")
                .append(escape(issuer)).append("\"} ").append(age.applyAsDouble(now)).append('\n'));
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, String label, Map<String, LongAdder> counters) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(counters).forEach((value, count) -> out.append(name).append('{').append(label).append("=\"").append(escape(value))
                .append("\"} ").append(count.sum()).append('\n'));
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
