package io.keygate.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.health.OpenApiDocument;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, readiness, metrics, the OpenAPI document, and the inference proxy, over real HTTP. */
class PlatformEndpointsTest {

    @TempDir
    static Path dir;

    private static HttpServer upstream;
    private static final Map<String, String> seenByUpstream = new ConcurrentHashMap<>();
    private static LocalGateway gateway;
    private static LocalGateway withoutUpstream;

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((name, values) ->
                    seenByUpstream.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            seenByUpstream.put(":path", exchange.getRequestURI().toString());
            seenByUpstream.put(":body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 1; i <= 3; i++) {
                    out.write(("data: chunk-" + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        upstream.start();
        gateway = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("a").toString()), "", null, null,
                new InferenceConfig("http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1-base", false), false));
        withoutUpstream = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("b").toString()), "", null,
                null, InferenceConfig.none(), false));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        withoutUpstream.close();
        upstream.stop(0);
    }

    @Test
    void healthAndReadiness() {
        assertEquals("ok", gateway.send("GET", "/healthz", null).json().get("status").asText());
        LocalGateway.Reply ready = gateway.send("GET", "/readyz", null);
        assertEquals(200, ready.status());
        assertEquals("up", ready.json().get("checks").get("storage").asText());
    }

    @Test
    void readinessFailsWhenTheStoreIsGone() {
        try (LocalGateway closing = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("c").toString()),
                "", null, null, InferenceConfig.none(), false))) {
            closing.module.database().close();
            LocalGateway.Reply ready = closing.send("GET", "/readyz", null);
            assertEquals(503, ready.status());
            assertEquals("down", ready.json().get("checks").get("storage").asText());
        }
    }

    @Test
    void readinessStaysReadyWhenKeycloakIsUnreachableAndReportsIt() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (LocalGateway noKeycloak = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("d").toString()),
                "http://127.0.0.1:" + closedPort + "/realms/keygate", null, null, InferenceConfig.none(), false))) {
            LocalGateway.Reply ready = noKeycloak.send("GET", "/readyz", null);
            System.out.println("[keygate-test] /readyz with Keycloak down: " + ready.status() + " " + ready.body());
            assertEquals(200, ready.status(), "the gateway still decides requests with cached keys");
            assertEquals("ready", ready.json().get("status").asText());
            assertEquals("down", ready.json().get("checks").get("keycloak").asText());
            assertEquals("up", ready.json().get("checks").get("storage").asText());
            String scraped = noKeycloak.send("GET", "/metrics", null).body();
            assertTrue(scraped.contains("keygate_keycloak_up 0.0"), scraped.lines().filter(l -> l.contains("keycloak")).toList().toString());
        }
    }

    @Test
    void metricsCountRequestsByRouteAndStatus() {
        gateway.send("GET", "/apis/entities/v2/workspaces/metrics-ws/projects/none", null);
        gateway.send("GET", "/apis/entities/v2/workspaces/metrics-ws/projects/none", null);
        gateway.module.metrics().recordDecision(false);
        gateway.module.metrics().recordVerification(2_000_000);
        LocalGateway.Reply metrics = gateway.send("GET", "/metrics", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        assertEquals(2, sample(text, "keygate_http_requests_total", "route=\"/apis/entities/v2/workspaces/{workspace}/projects/{name}\"",
                "method=\"GET\"", "status=\"404\""), text);
        assertEquals(1, sample(text, "keygate_policy_decisions_total", "decision=\"denied\""), text);
        assertTrue(text.contains("keygate_token_verification_seconds_bucket{le=\"0.0025\"} "), text);
        double verified = sample(text, "keygate_token_verification_seconds_count");
        double allowed = sample(text, "keygate_policy_decisions_total", "decision=\"allowed\"");
        assertTrue(verified >= 3, "every request through the access filter is timed, plus the recorded one: " + verified);
        assertTrue(allowed >= 2, "requests let through are allowed decisions: " + allowed);
    }

    /** The value of the one sample of {@code name} carrying every given {@code label="value"} pair (in any order). */
    private static double sample(String exposition, String name, String... labels) {
        List<Double> values = new java.util.ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            if (java.util.Arrays.stream(labels).allMatch(line::contains)) {
                values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertEquals(1, values.size(), name + " " + String.join(",", labels) + " in\n" + exposition);
        return values.get(0);
    }

    /** Javalin decides on compression at its first write, which is at most the result copy buffer (GatewayApp). */
    @Test
    void largeResultsAreGzippedWhenAskedAndSmallOnesAreNot() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<byte[]> large = client.send(HttpRequest.newBuilder(URI.create(gateway.url(OpenApiDocument.PATH)))
                .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", large.headers().firstValue("Content-Encoding").orElse(null));
        String document = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(large.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(document.length() > 4096, "a result several copy buffers long: " + document.length());
        assertEquals("3.1.0", new com.fasterxml.jackson.databind.ObjectMapper().readTree(document).get("openapi").asText());
        java.net.http.HttpResponse<String> small = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/healthz")))
                .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, small.statusCode());
        assertTrue(small.headers().firstValue("Content-Encoding").isEmpty(), small.headers().map().toString());
    }

    @Test
    void openApiDocumentListsExactlyTheRegisteredRoutes() {
        JsonNode doc = gateway.send("GET", OpenApiDocument.PATH, null).json();
        assertEquals("3.1.0", doc.get("openapi").asText());
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        gateway.app.javalin().unsafe.internalRouter.allHttpHandlers().forEach(parsed -> {
            if (parsed.endpoint.method.isHttpMethod()) {
                served.add(parsed.endpoint.method.name() + " " + OpenApiDocument.openApiPath(parsed.endpoint.path));
            }
        });
        assertEquals(served, documented);
        assertTrue(documented.contains("DELETE /apis/entities/v2/workspaces/{workspace}/projects/{name}"));
        assertTrue(documented.contains("POST /apis/jobs/v2/workspaces/{workspace}/jobs/{name}/cancel"));
        assertTrue(documented.contains("GET /metrics"));
        assertFalse(documented.isEmpty());
    }

    /**
     * swagger-parser reads the served document as OpenAPI 3.1 without a single message; every route
     * has a schema definition and every definition a route; every operation names its success body,
     * every write its request body, and every error is {"detail"}.
     */
    @Test
    void openApiDocumentIsValidOpenApi31WithSchemasForEveryRoute() {
        JsonNode doc = gateway.send("GET", OpenApiDocument.PATH, null).json();
        io.swagger.v3.parser.core.models.ParseOptions options = new io.swagger.v3.parser.core.models.ParseOptions();
        options.setResolve(true);
        io.swagger.v3.parser.core.models.SwaggerParseResult parsed =
                new io.swagger.v3.parser.OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "parser messages");
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        assertTrue(parsed.getOpenAPI().getSpecVersion() == io.swagger.v3.oas.models.SpecVersion.V31);
        Set<String> withoutSchemas = new TreeSet<>(io.keygate.gateway.openapi.OpenApiSchemas.builtIn().unmatched(doc));
        withoutSchemas.retainAll(documentedKeys(doc));
        assertEquals(Set.of(), withoutSchemas, "routes without schemas (the other direction: OpenApiSchemasRoutesTest)");
        int operations = 0;
        for (var path : parsed.getOpenAPI().getPaths().entrySet()) {
            for (var operation : path.getValue().readOperationsMap().entrySet()) {
                operations++;
                String name = operation.getKey() + " " + path.getKey();
                var responses = operation.getValue().getResponses();
                var success = responses.entrySet().stream().filter(r -> r.getKey().startsWith("2")).findFirst().orElseThrow();
                assertFalse(success.getValue().getContent().isEmpty(), name);
                success.getValue().getContent().values().forEach(media -> assertTrue(media.getSchema() != null, name));
                assertEquals("#/components/schemas/Error", responses.get("422").getContent().get("application/json").getSchema().get$ref(), name);
                boolean write = List.of("POST", "PUT", "PATCH").contains(operation.getKey().name());
                // cancel takes no body; forward-auth decides the original request, whose body it never reads
                if (write && !path.getKey().endsWith("/cancel") && !path.getKey().startsWith("/forward-auth")) {
                    assertTrue(operation.getValue().getRequestBody() != null, name + " has a request schema");
                }
            }
        }
        System.out.println("[keygate-test] OpenAPI 3.1: " + operations + " operations, "
                + parsed.getOpenAPI().getComponents().getSchemas().size() + " schemas, 0 parser messages");
        assertEquals(documentedOperations(doc), operations);
    }

    private static Set<String> documentedKeys(JsonNode doc) {
        Set<String> keys = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> keys.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return keys;
    }

    private static int documentedOperations(JsonNode doc) {
        int[] count = {0};
        doc.get("paths").properties().forEach(path -> count[0] += path.getValue().size());
        return count[0];
    }

    @Test
    void inferenceIsStreamedToTheUpstreamWithIdentityAndWithoutCallerSecrets() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        gateway.url("/apis/inference-gateway/v2/workspaces/ml-team/openai/-/v1/chat/completions?stream=true")))
                .header("Authorization", "Bearer caller-secret-token")
                .header("X-NMP-Principal-Id", "forged-admin")
                .header("X-Keygate-Principal", "forged-admin")
                .header("X-Custom", "kept")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"m\", \"stream\": true}"));
        LocalGateway.Reply reply = gateway.send(request);
        assertEquals(200, reply.status());
        assertEquals("data: chunk-1\n\ndata: chunk-2\n\ndata: chunk-3\n\ndata: [DONE]\n\n", reply.body());
        assertEquals("text/event-stream", reply.raw().headers().firstValue("Content-Type").orElse(null));
        assertEquals("/v1-base/v1/chat/completions?stream=true", seenByUpstream.get(":path"));
        assertEquals("{\"model\": \"m\", \"stream\": true}", seenByUpstream.get(":body"));
        assertNull(seenByUpstream.get("authorization"));
        assertNull(seenByUpstream.get("x-nmp-principal-id"));
        assertEquals("anonymous", seenByUpstream.get("x-keygate-principal"));
        assertEquals("ml-team", seenByUpstream.get("x-keygate-workspace"));
        assertEquals("kept", seenByUpstream.get("x-custom"));
    }

    @Test
    void inferenceWithoutUpstreamIs503WithDetail() {
        LocalGateway.Reply reply = withoutUpstream.send("POST",
                "/apis/inference-gateway/v2/workspaces/ml-team/openai/-/v1/completions", "{}");
        assertEquals(503, reply.status());
        assertTrue(reply.json().get("detail").asText().contains("no inference upstream"));
    }
}
