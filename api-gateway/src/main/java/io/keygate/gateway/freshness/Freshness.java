package io.keygate.gateway.freshness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.auth.CallerJudge;
import io.keygate.gateway.auth.ServiceAccountTokens;
import io.keygate.gateway.auth.TokenAuthenticator;
import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.store.Database;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's security-event receiver (issue 8, docs/freshness.md): one {@link EventFeed} per
 * issuer with {@code events.enabled}, and the {@link FreshnessJudge} that applies what they
 * received to every request. Without any enabled issuer it judges nothing and starts nothing.
 *
 * <p>Life cycle: {@link #of} reads the configuration (no network); {@link #bind} is given the
 * token authenticator (the issuers' key sources and claim mappers) and returns the judge for the
 * request path; {@link #start} loads the store and starts the feeds (waiting briefly for them to
 * catch up); {@link #close} stops them.
 */
public final class Freshness implements AutoCloseable {

    /** How long start-up waits for each feed's first catch-up. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

    /** Upper bound of {@code freshness.propagationWait}: a write is never held longer. */
    static final Duration MAX_PROPAGATION_WAIT = Duration.ofSeconds(60);

    private final List<FeedSettings> settings;
    private final FreshnessStore store;
    private final FeedMetrics metrics;
    private final int cacheEntries;
    private final Clock clock;
    private final List<EventFeed> feeds = new ArrayList<>();
    private final Propagation propagation;

    private Freshness(List<FeedSettings> settings, Database database, int cacheEntries, Clock clock, PrometheusRegistry registry,
                      Duration propagationWait) {
        this.settings = settings;
        this.propagation = settings.isEmpty() ? Propagation.NONE : new Propagation(propagationWait);
        this.metrics = new FeedMetrics(registry);
        this.store = database == null ? null : new FreshnessStore(database);
        this.cacheEntries = Math.max(1000, cacheEntries);
        this.clock = clock;
    }

    /** The receiver for the issuers of {@code config} whose events are enabled; their state lives in {@code database}. */
    public static Freshness of(GatewayConfig config, Database database, Metrics metrics) {
        List<FeedSettings> enabled = FeedSettings.enabledIn(config);
        if (!enabled.isEmpty() && database == null) {
            throw new ConfigException("invalid configuration: issuers[].events need the gateway's store");
        }
        return new Freshness(enabled, database, config.auth().tokenCacheMaxEntries(), Clock.systemUTC(),
                metrics != null ? metrics.registry() : new PrometheusRegistry(),
                config.tree().duration("freshness.propagationWait", MAX_PROPAGATION_WAIT));
    }

    /** A receiver with no feeds: judges nothing. */
    public static Freshness none() {
        return new Freshness(List.of(), null, 0, Clock.systemUTC(), new PrometheusRegistry(), Duration.ZERO);
    }

    /** Creates the feeds for {@code tokens}' issuers and returns the judge of the request path. */
    public CallerJudge bind(TokenAuthenticator tokens) {
        if (settings.isEmpty()) {
            return CallerJudge.NONE;
        }
        List<FreshnessJudge.IssuerFeed> judged = new ArrayList<>();
        for (FeedSettings feed : settings) {
            var keys = tokens.keysOf(feed.issuer().issuer());
            ServiceAccountTokens receiverTokens = new ServiceAccountTokens(feed.tokenEndpoint(), feed.clientId(), feed.clientSecret(),
                    new ObjectMapper(), clock);
            FeedState state = new FeedState(feed.maxEntries());
            propagation.watch(feed.issuer().issuer(), state);
            EventFeed eventFeed = new EventFeed(feed, new TransmitterClient(feed, receiverTokens), new SetVerifier(feed, keys, clock),
                    state, store, metrics, clock);
            feeds.add(eventFeed);
            judged.add(new FreshnessJudge.IssuerFeed(feed.issuer().name(), state,
                    new LiveRoles(feed.introspectionEndpoint(), feed.clientId(), feed.clientSecret(), feed.issuer().jwksTimeout())));
        }
        return new FreshnessJudge(judged, tokens, metrics, clock, cacheEntries);
    }

    /** What member writes wait on for {@code wait_role_propagation} (watches nothing without feeds). */
    public Propagation propagation() {
        return propagation;
    }

    /** Loads what the store remembers and starts receiving. */
    public void start() {
        for (EventFeed feed : feeds) {
            feed.load();
        }
        feeds.forEach(feed -> feed.start(STARTUP_WAIT));
    }

    /** Each feed's state by issuer name (for readiness): live, catching up, reconnecting: why, ... */
    public Map<String, String> states() {
        Map<String, String> out = new LinkedHashMap<>();
        feeds.forEach(feed -> out.put(feed.settings().issuer().name(), feed.status()));
        return out;
    }

    @Override
    public void close() {
        feeds.forEach(EventFeed::stop);
    }
}
