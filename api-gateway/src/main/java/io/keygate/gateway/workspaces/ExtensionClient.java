package io.keygate.gateway.workspaces;

import io.keygate.core.ApiException;
import io.keygate.core.api.ExtensionApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Client of the Keycloak extension's REST API ({@code <keycloak>/realms/<realm>/keygate}).
 *
 * <p>Security contract: every call carries the bearer token it is given, normally the caller's
 * own, so Keycloak decides again with the caller's live membership; the gateway never writes
 * membership with more rights than the caller has. Only the workspace cleanup uses the gateway's
 * service-account token.
 */
public final class ExtensionClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A response of the extension, body kept as text (JSON, or empty for 204), with its headers. */
    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {

        private static final java.net.http.HttpHeaders NONE = java.net.http.HttpHeaders.of(Map.of(), (name, value) -> true);

        public Reply(int status, String body) {
            this(status, body, NONE);
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** The first value of a response header, if present. */
        public java.util.Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    private final String baseUrl;
    private final HttpClient http;
    private final String actAs;

    /** @param baseUrl {@code http://host:port/realms/<realm>/keygate}, without a trailing slash */
    public ExtensionClient(String baseUrl) {
        this(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), null);
    }

    private ExtensionClient(String baseUrl, HttpClient http, String actAs) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.actAs = actAs;
    }

    /**
     * The same client, asking Keycloak to decide as {@code principal} (dev-header mode, where the
     * caller has no token of their own and the gateway's service account carries the request).
     */
    public ExtensionClient actingFor(String principal) {
        return new ExtensionClient(baseUrl, http, principal);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Reply get(String path, Map<String, String> query, String token) {
        return send("GET", path + queryString(query), token, null);
    }

    /** A GET with every value of every query parameter passed on (repeated names stay repeated). */
    public Reply getAll(String path, Map<String, List<String>> query, String token) {
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((key, values) -> values.forEach(value -> joined.add(ExtensionApi.segment(key) + "=" + ExtensionApi.segment(value))));
        return send("GET", path + (query.isEmpty() ? "" : joined.toString()), token, null);
    }

    public Reply post(String path, String token, String json) {
        return send("POST", path, token, json);
    }

    public Reply put(String path, String token, String json) {
        return send("PUT", path, token, json);
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> joined.add(ExtensionApi.segment(key) + "=" + ExtensionApi.segment(value)));
        return joined.toString();
    }

    private Reply send(String method, String pathAndQuery, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        if (actAs != null) {
            request.header(ExtensionApi.ACT_AS_HEADER, actAs);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new ApiException(503, "the identity provider is unreachable; try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while calling the identity provider");
        }
    }
}
