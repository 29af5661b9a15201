package io.keygate.gateway.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.RouteTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code /readyz}: ready (200) while the gateway can decide requests, that is while its store is
 * reachable and the signing keys of every configured issuer are cached ({@code checks.signing_keys},
 * {@code cached} or {@code missing} per issuer; a gateway that never fetched an issuer's keys, or
 * whose last fetch is older than the outage tolerance, cannot decide that issuer's bearer tokens;
 * a probe tries to fetch missing keys); 503 otherwise, with the failing check in the body.
 * Keycloak's state is a detail ({@code checks.keycloak}) and the gauge {@code keygate_keycloak_up},
 * never a reason to be unready by itself: tokens are still verified with the cached keys while
 * Keycloak is away, and behind a load balancer a Keycloak blip must not take every replica out of
 * rotation at once (routes that need Keycloak answer 503 with a detail themselves).
 * Also {@code /metrics} (Prometheus text); {@code /healthz} itself is
 * served by {@link HealthRoutes} and only documented here. None of them needs a token and none
 * reveals more than up / down.
 */
public final class ReadinessRoutes {

    private final Database database;
    private final Optional<URI> keycloakProbe;
    private final Metrics metrics;
    private final Json json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final java.util.function.Supplier<java.util.Map<String, String>> feeds;
    private final java.util.function.Supplier<java.util.Map<String, Boolean>> signingKeys;

    /** @param keycloakProbe a Keycloak URL that answers 200 when it is up (the realm's discovery document) */
    public ReadinessRoutes(Database database, Optional<URI> keycloakProbe, Metrics metrics, Json json) {
        this(database, keycloakProbe, metrics, json, java.util.Map::of);
    }

    /** @param feeds the security-event feeds' states by issuer: reported, never a reason to be unready */
    public ReadinessRoutes(Database database, Optional<URI> keycloakProbe, Metrics metrics, Json json,
                           java.util.function.Supplier<java.util.Map<String, String>> feeds) {
        this(database, keycloakProbe, metrics, json, feeds, java.util.Map::of);
    }

    /** @param signingKeys per configured issuer, whether its signing keys are cached: every one must be */
    public ReadinessRoutes(Database database, Optional<URI> keycloakProbe, Metrics metrics, Json json,
                           java.util.function.Supplier<java.util.Map<String, String>> feeds,
                           java.util.function.Supplier<java.util.Map<String, Boolean>> signingKeys) {
        this.feeds = feeds;
        this.signingKeys = signingKeys;
        this.database = database;
        this.keycloakProbe = keycloakProbe;
        this.metrics = metrics;
        this.json = json;
    }

    public void register(RouteTable table) {
        table.document(HandlerType.GET, "/healthz", "health", "Liveness: the gateway process answers", 200);
        table.add(HandlerType.GET, "/readyz", "health", "Readiness: the gateway can decide requests (its store is reachable, its issuers' signing keys are cached); Keycloak is reported, not required", 200, this::ready);
        table.add(HandlerType.GET, "/metrics", "health", "Prometheus metrics (text exposition format)", 200,
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }

    private void ready(Context ctx) {
        boolean store = database.isReachable();
        java.util.Map<String, Boolean> keys = signingKeys.get();
        boolean keysCached = !keys.containsValue(false);
        boolean ready = store && keysCached;
        boolean keycloak = keycloakProbe.map(this::answers).orElse(true);
        keycloakProbe.ifPresent(probe -> metrics.recordKeycloakUp(keycloak));
        ObjectNode status = json.mapper().createObjectNode();
        status.put("status", ready ? "ready" : "not ready");
        ObjectNode checks = status.putObject("checks");
        checks.put("storage", store ? "up" : "down");
        if (!keys.isEmpty()) {
            ObjectNode cached = checks.putObject("signing_keys");
            keys.forEach((issuer, held) -> cached.put(issuer, held ? "cached" : "missing"));
        }
        checks.put("keycloak", keycloakProbe.isEmpty() ? "not configured" : keycloak ? "up" : "down");
        java.util.Map<String, String> events = feeds.get();
        if (!events.isEmpty()) {
            ObjectNode feedStates = checks.putObject("events");
            events.forEach(feedStates::put);
        }
        json.send(ctx, ready ? 200 : 503, status);
    }

    private boolean answers(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
