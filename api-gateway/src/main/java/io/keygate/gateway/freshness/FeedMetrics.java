package io.keygate.gateway.freshness;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus series of the security-event feeds, on the gateway's registry: SETs received and
 * applied by event type, rejected by reason, the delivery lag (event time to applied) as a
 * histogram, live role lookups by outcome, and per issuer the seconds since its stream was last
 * known healthy.
 */
final class FeedMetrics {

    /** Upper bounds of the lag buckets, in seconds. */
    static final double[] LAG_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final Counter received;
    private final Counter applied;
    private final Counter rejected;
    private final Counter lookups;
    private final Histogram lag;
    private final Map<String, ToDoubleFunction<Long>> healthyAge = new ConcurrentHashMap<>();

    FeedMetrics(PrometheusRegistry registry) {
        received = Counter.builder().name("keygate_events_received_total")
                .help("Security Event Tokens received, by event type (unverified: refused before it was known).")
                .labelNames("type").register(registry);
        applied = Counter.builder().name("keygate_events_applied_total")
                .help("Security Event Tokens verified and applied, by event type.").labelNames("type").register(registry);
        rejected = Counter.builder().name("keygate_events_rejected_total")
                .help("Security Event Tokens refused, by reason; they changed nothing.").labelNames("reason").register(registry);
        lookups = Counter.builder().name("keygate_events_live_lookups_total")
                .help("Live role lookups (token introspection) for tokens the events could not vouch for, by outcome.")
                .labelNames("outcome").register(registry);
        lag = Histogram.builder().name("keygate_events_delivery_lag_seconds")
                .help("Time from a change (event_timestamp) to it being applied here.")
                .classicOnly().classicUpperBounds(LAG_BUCKETS).register(registry);
        GaugeWithCallback.builder().name("keygate_events_stream_unhealthy_seconds")
                .help("Seconds since the issuer's event stream was last known healthy (0: healthy now).")
                .labelNames("issuer").callback(callback -> {
                    long now = System.currentTimeMillis();
                    healthyAge.forEach((issuer, age) -> callback.call(age.applyAsDouble(now), issuer));
                }).register(registry);
    }

    void received(String type) {
        received.labelValues(type).inc();
    }

    void applied(String type, double lagSeconds) {
        applied.labelValues(type).inc();
        lag.observe(Math.max(0, lagSeconds));
    }

    void rejected(String reason) {
        rejected.labelValues(reason).inc();
    }

    void lookup(String outcome) {
        lookups.labelValues(outcome).inc();
    }

    /** Registers the gauge of one issuer's feed: seconds since healthy, given the current time in millis. */
    void healthyAge(String issuer, ToDoubleFunction<Long> secondsSinceHealthy) {
        healthyAge.put(issuer, secondsSinceHealthy);
    }
}
