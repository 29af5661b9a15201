package io.keygate.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's own access token (client-credentials grant of the confidential client
 * {@code keygate-gateway}), cached until shortly before it expires.
 *
 * <p>Security contract: this identity is a platform admin. It is used only for work no caller is
 * present for (the background steps of a workspace cleanup, dev-mode lookups), never to carry out
 * a caller's request with more rights than the caller has. The secret is never logged.
 *
 * <p>Concurrency: a valid cached token is returned without any lock. In the last
 * {@link #REFRESH_MARGIN} of its lifetime one background fetch renews it while callers keep the
 * current one; only when there is no valid token do callers wait, all for the same single fetch
 * (no monitor is held across the network call).
 */
public final class ServiceAccountTokens {

    static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(15);

    private record Issued(String token, Instant refreshAt, Instant expiresAt) {
    }

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final Clock clock;
    private final AtomicReference<CompletableFuture<Issued>> inFlight = new AtomicReference<>();
    private volatile Issued current;

    /** @param tokenEndpoint {@code <realm url>/protocol/openid-connect/token} */
    public ServiceAccountTokens(URI tokenEndpoint, String clientId, String clientSecret, ObjectMapper mapper, Clock clock) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The service account of the Keycloak realm in the gateway's configuration ({@code keycloak.clientId}). */
    public static ServiceAccountTokens of(GatewayConfig.Keycloak keycloak) {
        return new ServiceAccountTokens(URI.create(keycloak.tokenEndpoint()), keycloak.clientId(), keycloak.clientSecret(),
                new ObjectMapper(), Clock.systemUTC());
    }

    /** A valid access token; throws {@link IllegalStateException} when none can be had. */
    public String token() {
        Issued known = current;
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.refreshAt())) {
            return known.token();
        }
        CompletableFuture<Issued> renewal = renew();
        if (known != null && now.isBefore(known.expiresAt())) {
            return known.token();
        }
        return await(renewal).token();
    }

    /** The fetch in flight, or a new one; at most one at a time. */
    private CompletableFuture<Issued> renew() {
        while (true) {
            CompletableFuture<Issued> running = inFlight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<Issued> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, mine)) {
                fetch().whenComplete((issued, error) -> {
                    if (issued != null) {
                        current = issued;
                    }
                    inFlight.compareAndSet(mine, null);
                    if (error != null) {
                        mine.completeExceptionally(error);
                    } else {
                        mine.complete(issued);
                    }
                });
                return mine;
            }
        }
    }

    private CompletableFuture<Issued> fetch() {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(FETCH_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(this::issued);
    }

    private Issued issued(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("service-account token request answered " + response.statusCode());
        }
        try {
            JsonNode body = mapper.readTree(response.body());
            String token = body.path("access_token").asText("");
            if (token.isEmpty()) {
                throw new IllegalStateException("service-account token response carries no access_token");
            }
            Instant expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(60));
            return new Issued(token, expiresAt.minus(REFRESH_MARGIN), expiresAt);
        } catch (IOException e) {
            throw new IllegalStateException("service-account token response is not JSON", e);
        }
    }

    private static Issued await(CompletableFuture<Issued> renewal) {
        try {
            return renewal.get(FETCH_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause() : e.getCause();
            if (cause instanceof IllegalStateException failure) {
                throw failure;
            }
            throw new IllegalStateException("service-account token request failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("service-account token request timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching the service-account token", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
