package io.keygate.gateway.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The configured realm's OpenID Provider metadata ({@code <realm>/.well-known/openid-configuration}),
 * fetched on demand and kept for {@link #TTL}. When Keycloak cannot be reached, the last document
 * is served (stale beats nothing for a login hint); with none yet, the answer is empty.
 */
final class RealmDiscovery {

    static final Duration TTL = Duration.ofMinutes(5);
    private static final int MAX_BODY_CHARS = 256 * 1024;

    private record Cached(JsonNode document, Instant fetchedAt) {
    }

    private final URI documentUri;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Cached cached;

    RealmDiscovery(String realmUrl, ObjectMapper mapper, Clock clock) {
        this.documentUri = URI.create(realmUrl + "/.well-known/openid-configuration");
        this.mapper = mapper;
        this.clock = clock;
    }

    Optional<JsonNode> document() {
        Cached current = cached;
        Instant now = clock.instant();
        if (current != null && current.fetchedAt().plus(TTL).isAfter(now)) {
            return Optional.of(current.document());
        }
        Optional<JsonNode> fetched = fetch();
        fetched.ifPresent(document -> cached = new Cached(document, now));
        return fetched.or(() -> Optional.ofNullable(current).map(Cached::document));
    }

    private Optional<JsonNode> fetch() {
        HttpRequest request = HttpRequest.newBuilder(documentUri).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().length() > MAX_BODY_CHARS) {
                return Optional.empty();
            }
            JsonNode document = mapper.readTree(response.body());
            return document != null && document.isObject() ? Optional.of(document) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
