package io.keygate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.health.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real {@link GatewayApp} with the API module, authentication switched off, on a free port of
 * 127.0.0.1, for HTTP tests that need no Keycloak.
 */
final class LocalGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        String body() {
            return raw.body();
        }
    }

    final ApiModule module;
    final GatewayApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    LocalGateway(ApiSettings settings) {
        module = new ApiModule(settings, new Metrics());
        app = new GatewayApp(ConfigLoader.fromYaml("auth:\n  enabled: false\naudit:\n  sink: none\n", Map.of()),
                List.of(module)).start("127.0.0.1", 0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    Reply send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        module.close();
    }
}
