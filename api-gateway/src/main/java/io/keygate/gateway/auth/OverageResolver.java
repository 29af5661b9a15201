package io.keygate.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches a distributed claim (OIDC Core 5.6.2) for an overage token from the extension's
 * {@code me/workspaces} endpoint, authenticating with the token itself.
 *
 * <p>Security contract: the endpoint is called only when it lies under the token's own,
 * already verified issuer URL ({@code <issuer>/...}); anything else is refused without a
 * network call, so a token cannot make the gateway send it to another host. The caller caches
 * the result with the verified token until it expires.
 */
public class OverageResolver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_CHARS = 1 << 20;

    private final HttpClient http;
    private final Duration timeout;

    public OverageResolver(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The claim value (a JSON object as a map). */
    Object fetch(String endpoint, String token, String issuer, String claimName) {
        URI uri = underIssuer(endpoint, issuer);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw AuthFailure.unavailable("cannot resolve workspace roles for an overage token: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AuthFailure.unavailable("interrupted while resolving workspace roles");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw AuthFailure.invalidToken("the issuer refused the token when resolving its workspace roles");
        }
        if (response.statusCode() != 200 || response.body().length() > MAX_BODY_CHARS) {
            throw AuthFailure.unavailable("cannot resolve workspace roles for an overage token: HTTP " + response.statusCode());
        }
        try {
            JsonNode claim = JSON.readTree(response.body()).get(claimName);
            if (claim == null || !claim.isObject()) {
                throw AuthFailure.unavailable("workspace-role source answered without a '" + claimName + "' object");
            }
            return JSON.convertValue(claim, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AuthFailure.unavailable("workspace-role source answered with invalid JSON");
        }
    }

    /** The endpoint as a URI when it is under {@code issuer}; otherwise the token is refused. */
    static URI underIssuer(String endpoint, String issuer) {
        String prefix = issuer.endsWith("/") ? issuer : issuer + "/";
        URI uri;
        try {
            uri = new URI(endpoint).normalize();
        } catch (java.net.URISyntaxException e) {
            throw AuthFailure.invalidToken("distributed claim endpoint is not a URL");
        }
        String text = uri.toString();
        if (!text.startsWith(prefix) || uri.getRawUserInfo() != null || uri.getRawFragment() != null || text.contains("/../")) {
            throw AuthFailure.invalidToken("distributed claim endpoint is not under the token's issuer");
        }
        return uri;
    }
}
