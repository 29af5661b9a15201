package io.keygate.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Small JSON-over-HTTP client for tests: real requests, no mocking. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A response with its body kept as text; {@link #json()} parses it. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response is not JSON (status " + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Fails the test unless {@code response} has {@code status}; returns it for further checks. */
    public static Response expect(int status, Response response) {
        if (response.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + response);
        }
        return response;
    }

    public Response get(String url, String bearer) {
        return send(request(url, bearer).GET());
    }

    public Response delete(String url, String bearer) {
        return send(request(url, bearer).DELETE());
    }

    public Response post(String url, String bearer, Object body) {
        return send(request(url, bearer).header("Content-Type", "application/json").POST(jsonBody(body)));
    }

    public Response put(String url, String bearer, Object body) {
        return send(request(url, bearer).header("Content-Type", "application/json").PUT(jsonBody(body)));
    }

    public Response postForm(String url, Map<String, String> form) {
        StringJoiner encoded = new StringJoiner("&");
        form.forEach((k, v) -> encoded.add(enc(k) + "=" + enc(v)));
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded.toString())));
    }

    /** Sends any request the caller built, for headers the helpers above do not set. */
    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpRequest.Builder request(String url, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", "application/json");
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    public static String toJson(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpRequest.BodyPublisher jsonBody(Object body) {
        return HttpRequest.BodyPublishers.ofString(toJson(body));
    }
}
