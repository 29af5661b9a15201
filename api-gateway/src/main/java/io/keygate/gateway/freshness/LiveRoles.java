package io.keygate.gateway.freshness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.auth.AuthFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The issuer's current view of one token, by token introspection (RFC 7662) as the receiver client:
 * Keycloak re-runs the keygate mappers for introspection, so the answer carries the subject's
 * current {@code workspaces}, {@code orgs} and realm roles, and {@code active: false} once the
 * session ended or the user was disabled or deleted.
 *
 * <p>Used only for tokens the events cannot vouch for (issued before the feed caught up, or holding
 * a role in a workspace whose wildcard changed since). Failures are {@link AuthFailure}s: 401 for an
 * inactive token, 503 when the issuer cannot be asked. The client secret is never logged.
 */
class LiveRoles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final int MAX_BODY_CHARS = 1 << 20;

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;

    LiveRoles(URI endpoint, String clientId, String clientSecret, Duration timeout) {
        this.endpoint = endpoint;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The token's current claims; 401 when the issuer says it is no longer active, 503 when it cannot say. */
    Map<String, Object> currentClaims(String token) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(token) + "&token_type_hint=access_token")).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw AuthFailure.unavailable("cannot confirm the token's current roles: the identity provider is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AuthFailure.unavailable("interrupted while confirming the token's current roles");
        }
        if (response.statusCode() != 200 || response.body().length() > MAX_BODY_CHARS) {
            throw AuthFailure.unavailable("cannot confirm the token's current roles: the identity provider answered "
                    + response.statusCode());
        }
        Map<String, Object> claims;
        try {
            claims = JSON.readValue(response.body(), MAP);
        } catch (IOException e) {
            throw AuthFailure.unavailable("cannot confirm the token's current roles: invalid introspection answer");
        }
        if (claims == null || !Boolean.TRUE.equals(claims.get("active"))) {
            throw FreshnessJudge.sessionEnded();
        }
        return claims;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
