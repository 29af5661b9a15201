package io.keygate.gateway.freshness;

import static io.keygate.core.events.SecurityEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.gateway.auth.ServiceAccountTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Speaks SSF 1.0 stream management and RFC 8936 poll delivery to one issuer's transmitter, as the
 * receiver client (bearer token from the client-credentials grant).
 *
 * <p>Security contract: endpoint URLs come from the transmitter metadata, whose {@code issuer}
 * must equal the configured issuer, and must lie on the issuer's own origin (so metadata cannot
 * send the receiver's token elsewhere); redirects are not followed; a stream is used only when
 * its {@code iss} is the issuer and its delivery is poll. Failures are {@link FeedException}s.
 */
final class TransmitterClient {

    /** The stream this receiver polls. */
    record Stream(String id, String audience, URI pollUrl, long nextSeq) {
    }

    /** One poll answer: SETs by jti, and whether more are waiting. */
    record Batch(Map<String, String> sets, boolean moreAvailable) {
    }

    /** A transmitter problem; {@link #gone()} when the stream no longer exists. */
    static final class FeedException extends Exception {

        private final boolean gone;

        FeedException(String message, boolean gone) {
            super(message, null, false, false);
            this.gone = gone;
        }

        boolean gone() {
            return gone;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_CHARS = 8 << 20;

    private final FeedSettings settings;
    private final ServiceAccountTokens tokens;
    private final HttpClient http;
    private volatile URI configurationEndpoint;

    TransmitterClient(FeedSettings settings, ServiceAccountTokens tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The stream {@code id} if the transmitter still has it. */
    Optional<Stream> find(String id) throws FeedException {
        HttpResponse<String> response = send(request(configurationEndpoint(), "?stream_id=" + enc(id)).GET(), settings.pollTimeout());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(stream(expect(response, 200, "stream lookup")));
    }

    /** A new stream for this instance, starting at the transmitter's current head. */
    Stream create() throws FeedException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject(STREAM_DELIVERY).put(STREAM_DELIVERY_METHOD, DELIVERY_POLL);
        body.putArray(STREAM_EVENTS_REQUESTED).add(TOKEN_CLAIMS_CHANGE).add(SESSION_REVOKED).add(WORKSPACE_CHANGE);
        body.put(STREAM_DESCRIPTION, settings.instanceId());
        HttpResponse<String> response = send(request(configurationEndpoint(), "").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), settings.pollTimeout());
        if (response.statusCode() != 200) {
            expect(response, 201, "stream creation");
        }
        return stream(readObject(response.body()));
    }

    /** One long-poll: acknowledges {@code ack}, reports {@code errors} (jti to err code and description). */
    Batch poll(Stream stream, Collection<String> ack, Map<String, String[]> errors, boolean returnImmediately) throws FeedException {
        ObjectNode body = JSON.createObjectNode();
        ack.forEach(body.putArray(POLL_ACK)::add);
        if (!errors.isEmpty()) {
            ObjectNode errs = body.putObject(POLL_SET_ERRS);
            errors.forEach((jti, err) -> errs.putObject(jti).put("err", err[0]).put("description", err[1]));
        }
        body.put(POLL_MAX_EVENTS, settings.maxEvents()).put(POLL_RETURN_IMMEDIATELY, returnImmediately);
        HttpResponse<String> response = send(request(stream.pollUrl(), "").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), settings.pollTimeout());
        if (response.statusCode() == 404) {
            throw new FeedException("stream " + stream.id() + " no longer exists at the transmitter", true);
        }
        JsonNode answer = expect(response, 200, "poll");
        Map<String, String> sets = new LinkedHashMap<>();
        JsonNode node = answer.path(POLL_SETS);
        if (!node.isObject() && !node.isMissingNode()) {
            throw new FeedException("poll answer's sets is not an object", false);
        }
        node.properties().forEach(e -> sets.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return new Batch(sets, answer.path(POLL_MORE_AVAILABLE).asBoolean(false));
    }

    private URI configurationEndpoint() throws FeedException {
        URI known = configurationEndpoint;
        if (known != null) {
            return known;
        }
        HttpRequest request = HttpRequest.newBuilder(settings.metadataUrl()).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build();
        JsonNode metadata = expect(send(request), 200, "transmitter metadata");
        if (!settings.issuer().issuer().equals(metadata.path(META_ISSUER).asText())) {
            throw new FeedException("transmitter metadata names issuer '" + metadata.path(META_ISSUER).asText() + "'", false);
        }
        boolean poll = false;
        for (JsonNode method : metadata.path(META_DELIVERY_METHODS)) {
            poll |= DELIVERY_POLL.equals(method.asText());
        }
        if (!poll) {
            throw new FeedException("transmitter does not offer poll delivery (" + DELIVERY_POLL + ")", false);
        }
        URI endpoint = onIssuerOrigin(metadata.path(META_CONFIGURATION_ENDPOINT).asText(), "configuration_endpoint");
        configurationEndpoint = endpoint;
        return endpoint;
    }

    private Stream stream(JsonNode config) throws FeedException {
        String id = config.path(STREAM_ID).asText("");
        String audience = config.path(CLAIM_AUD).isArray() ? config.path(CLAIM_AUD).path(0).asText("") : config.path(CLAIM_AUD).asText("");
        if (id.isEmpty() || audience.isEmpty()) {
            throw new FeedException("stream configuration without stream_id or aud", false);
        }
        if (!settings.issuer().issuer().equals(config.path(CLAIM_ISS).asText())) {
            throw new FeedException("stream " + id + " is of issuer '" + config.path(CLAIM_ISS).asText() + "'", false);
        }
        JsonNode delivery = config.path(STREAM_DELIVERY);
        if (!DELIVERY_POLL.equals(delivery.path(STREAM_DELIVERY_METHOD).asText())) {
            throw new FeedException("stream " + id + " is not delivered by poll", false);
        }
        URI poll = onIssuerOrigin(delivery.path(STREAM_ENDPOINT_URL).asText(), "endpoint_url");
        return new Stream(id, audience, poll, config.path(STREAM_NEXT_SEQ).asLong(-1));
    }

    /** {@code url} when it is on the issuer's scheme, host and port. */
    private URI onIssuerOrigin(String url, String what) throws FeedException {
        URI issuer = URI.create(settings.issuer().issuer());
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new FeedException(what + " is not a URL", false);
        }
        if (!issuer.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme())) || !issuer.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                || issuer.getPort() != uri.getPort() || uri.getRawUserInfo() != null) {
            throw new FeedException(what + " " + url + " is not on the issuer's origin", false);
        }
        return uri;
    }

    private HttpRequest.Builder request(URI endpoint, String query) throws FeedException {
        String token;
        try {
            token = tokens.token();
        } catch (IllegalStateException e) {
            throw new FeedException("receiver token: " + e.getMessage(), false);
        }
        return HttpRequest.newBuilder(URI.create(endpoint + query)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) throws FeedException {
        return send(request.timeout(timeout).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws FeedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FeedException(request.method() + " " + request.uri().getPath() + ": " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedException("interrupted", false);
        }
    }

    private static JsonNode expect(HttpResponse<String> response, int status, String what) throws FeedException {
        if (response.statusCode() != status) {
            throw new FeedException(what + " answered " + response.statusCode() + ": " + abbreviate(response.body()), false);
        }
        return readObject(response.body());
    }

    private static JsonNode readObject(String body) throws FeedException {
        if (body == null || body.length() > MAX_BODY_CHARS) {
            throw new FeedException("transmitter answer missing or too large", false);
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new FeedException("transmitter answer is not a JSON object", false);
            }
            return node;
        } catch (IOException e) {
            throw new FeedException("transmitter answer is not JSON", false);
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
