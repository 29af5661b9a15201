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
import java.time.Duration;

/**
 * The gateway's own access token (client credentials of {@code keycloak.clientId}), fetched on
 * demand and reused until shortly before it expires. The secret is never logged.
 */
public class ServiceTokenClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RENEW_BEFORE_MILLIS = 30_000;

    private final GatewayConfig.Keycloak keycloak;
    private final HttpClient http;
    private String token;
    private long expiresAtMillis;

    public ServiceTokenClient(GatewayConfig.Keycloak keycloak, HttpClient http) {
        this.keycloak = keycloak;
        this.http = http;
    }

    /** A valid access token of the gateway's service account. */
    public synchronized String token() throws IOException {
        long now = System.currentTimeMillis();
        if (token != null && now < expiresAtMillis - RENEW_BEFORE_MILLIS) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + enc(keycloak.clientId()) + "&client_secret=" + enc(keycloak.clientSecret());
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("token endpoint answered HTTP " + response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            token = body.path("access_token").asText();
            expiresAtMillis = now + body.path("expires_in").asLong(60) * 1000;
            return token;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
