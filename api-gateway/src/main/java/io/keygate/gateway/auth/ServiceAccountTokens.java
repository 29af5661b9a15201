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

/**
 * The gateway's own access token (client-credentials grant of the confidential client
 * {@code keygate-gateway}), cached until shortly before it expires.
 *
 * <p>Security contract: this identity is a platform admin. It is used only for work no caller is
 * present for (the background steps of a workspace cleanup, dev-mode lookups), never to carry out
 * a caller's request with more rights than the caller has. The secret is never logged.
 */
public final class ServiceAccountTokens {

    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final Clock clock;

    private String cached;
    private Instant refreshAt = Instant.MIN;

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

    /** A valid access token; fetched again when the cached one is about to expire. */
    public synchronized String token() {
        if (cached == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return cached;
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("service-account token request answered " + response.statusCode());
            }
            JsonNode body = mapper.readTree(response.body());
            cached = body.path("access_token").asText();
            long expiresIn = body.path("expires_in").asLong(60);
            refreshAt = clock.instant().plusSeconds(expiresIn).minus(REFRESH_MARGIN);
        } catch (IOException e) {
            throw new IllegalStateException("service-account token request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching the service-account token", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
