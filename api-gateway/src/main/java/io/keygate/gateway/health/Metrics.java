package io.keygate.gateway.health;

import io.keygate.gateway.store.Database;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The gateway's Prometheus metrics, through Prometheus' Java client (one registry per gateway):
 * requests by route pattern, method and status; policy decisions allowed / denied; the time the
 * access filter spent on a request ({@code keygate_token_verification_seconds}, the series name of
 * earlier releases, and {@code keygate_authorization_seconds} with microsecond buckets); JVM
 * series; the Jetty thread pool; the store's connection pool. Thread-safe.
 *
 * <p>Cardinality contract: the {@code route} label is a registered path pattern or
 * {@code unmatched}, never a raw path, so callers cannot grow the series set.
 */
public final class Metrics {

    /** Upper bounds of the verification latency buckets, in seconds (unchanged since the first release). */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
    /** Authorization is microseconds for a token seen before and about a millisecond for a new one. */
    static final double[] AUTHORIZATION_BUCKETS = {0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
        0.0025, 0.005, 0.01, 0.05, 0.25, 1};

    private record RequestKey(String route, String method, int status) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Map<RequestKey, CounterDataPoint> requestPoints = new ConcurrentHashMap<>();
    private final CounterDataPoint allowed;
    private final CounterDataPoint denied;
    private final Histogram verification;
    private final Histogram authorization;
    private final Gauge keycloakUp;
    private volatile Supplier<ThreadPool> jettyPool = () -> null;
    private volatile Supplier<Database.PoolStats> storePool = () -> null;

    public Metrics() {
        requests = Counter.builder().name("keygate_http_requests_total")
                .help("HTTP requests answered, by route pattern, method and status.")
                .labelNames("route", "method", "status").register(registry);
        Counter decisions = Counter.builder().name("keygate_policy_decisions_total").help("Authorization decisions, by outcome.")
                .labelNames("decision").register(registry);
        allowed = decisions.labelValues("allowed");
        denied = decisions.labelValues("denied");
        verification = Histogram.builder().name("keygate_token_verification_seconds").help("Time spent verifying bearer tokens.")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
        authorization = Histogram.builder().name("keygate_authorization_seconds")
                .help("Time the access filter spent authenticating and deciding one request.")
                .classicOnly().classicUpperBounds(AUTHORIZATION_BUCKETS).register(registry);
        keycloakUp = Gauge.builder().name("keygate_keycloak_up")
                .help("1 when the last probe reached Keycloak, 0 when it did not (set by every /readyz probe).")
                .register(registry);
        JvmMetrics.builder().register(registry);
        registerJettyPool();
        registerStorePool();
    }

    /** The registry, for features that keep series of their own (they are scraped with these). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Jetty thread pool to report on (read at every scrape). */
    public void bindJettyThreadPool(Supplier<ThreadPool> pool) {
        this.jettyPool = pool;
    }

    /** The store's connection pool to report on (read at every scrape). */
    public void bindStorePool(Supplier<Database.PoolStats> pool) {
        this.storePool = pool;
    }

    /** One answered request; {@code route} is the matched path pattern (never the raw path, to bound cardinality). */
    public void recordRequest(String route, String method, int status) {
        requestPoints.computeIfAbsent(new RequestKey(route, method, status),
                key -> requests.labelValues(key.route(), key.method(), Integer.toString(key.status()))).inc();
    }

    /** The outcome of the latest Keycloak probe. */
    public void recordKeycloakUp(boolean up) {
        keycloakUp.set(up ? 1 : 0);
    }

    /** One policy decision. */
    public void recordDecision(boolean isAllowed) {
        (isAllowed ? allowed : denied).inc();
    }

    /** How long the access filter took for one request (both histograms). */
    public void recordVerification(long nanos) {
        double seconds = nanos / 1e9;
        verification.observe(seconds);
        authorization.observe(seconds);
    }

    /** The exposition text (Prometheus text format 0.0.4). */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void registerJettyPool() {
        jettyGauge("jetty_threads_current", "Threads in the Jetty pool.", pool -> sized(pool) == null ? Double.NaN : sized(pool).getThreads());
        jettyGauge("jetty_threads_idle", "Idle threads in the Jetty pool.", pool -> sized(pool) == null ? Double.NaN : sized(pool).getIdleThreads());
        jettyGauge("jetty_threads_busy", "Threads of the Jetty pool running a task.",
                pool -> pool instanceof QueuedThreadPool queued ? queued.getBusyThreads() : Double.NaN);
        jettyGauge("jetty_threads_config_max", "Most threads the Jetty pool may start.",
                pool -> sized(pool) == null ? Double.NaN : sized(pool).getMaxThreads());
        jettyGauge("jetty_threads_jobs", "Tasks waiting for a Jetty thread.",
                pool -> pool instanceof QueuedThreadPool queued ? queued.getQueueSize() : Double.NaN);
    }

    private static ThreadPool.SizedThreadPool sized(ThreadPool pool) {
        return pool instanceof ThreadPool.SizedThreadPool sized ? sized : null;
    }

    private void jettyGauge(String name, String help, java.util.function.ToDoubleFunction<ThreadPool> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> {
            ThreadPool pool = jettyPool.get();
            if (pool != null) {
                callback.call(value.applyAsDouble(pool));
            }
        }).register(registry);
    }

    private void registerStorePool() {
        storeGauge("keygate_store_connections_active", "Store connections in use.", Database.PoolStats::active);
        storeGauge("keygate_store_connections_idle", "Open store connections not in use.", Database.PoolStats::idle);
        storeGauge("keygate_store_connections_pending", "Threads waiting for a store connection.", Database.PoolStats::pending);
        storeGauge("keygate_store_connections_max", "Most store connections the pool opens.", Database.PoolStats::max);
    }

    private void storeGauge(String name, String help, java.util.function.ToIntFunction<Database.PoolStats> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> {
            Database.PoolStats stats = storePool.get();
            if (stats != null) {
                callback.call(value.applyAsInt(stats));
            }
        }).register(registry);
    }
}
