package io.keygate.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.audit.JdbcAuditSink;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fuzzer driven by the served OpenAPI document: for every operation it lists, random and mutated
 * path parameters, query strings, headers and JSON bodies, with valid, expired, foreign and garbage
 * tokens. Every answer must be below 500, carry no stack trace, and every error must be
 * {@code {"detail": string}}; a refused request (4xx) must leave the store as it was (snapshot of
 * resources, job logs and allocations before and after). {@code -Dkeygate.fuzz.requests=N} runs
 * longer (default 600; the seed is printed and {@code -Dkeygate.fuzz.seed} replays a run).
 * The workspace and member routes need Keycloak; ApiFuzzIT covers them on the real one.
 */
class SchemaDrivenFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTILE = List.of("..", "%2e%2e", "%00", "a%2Fb", "%E2%80%AE", "x".repeat(300), "ws'--", "{workspace}",
            "%25", "UPPER", "-a", "a--b", "null", "%C0%AF", "ünï", "1");
    private static final List<String> BODIES = List.of("", "{", "[]", "null", "42", "\"s\"", "{\"name\":7}", "{\"name\":null}",
            "{\"name\":\"ok-name\",\"description\":{}}", "{\"name\":\"ok-name\",\"description\":\"" + "d".repeat(5000) + "\"}",
            "{\"name\":[\"a\"]}", "{\"roles\":\"Admin\"}", "{\"principal\":\"\"}", "{\"id\":\"forged\",\"created_by\":\"root\",\"name\":\"x-y\"}",
            "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "\u0000", "{\"name\":\"\\ud800\"}");

    @TempDir
    Path dir;

    @Test
    void noOperationAnswers5xxOrAnUnshapedErrorAndNoRefusalChangesState() throws Exception {
        int requests = Integer.getInteger("keygate.fuzz.requests", 600);
        long seed = Long.getLong("keygate.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        com.sun.net.httpserver.HttpServer upstream = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"object\":\"stub\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        try (TestIssuer issuer = new TestIssuer("fuzz");
             TestIssuer stranger = new TestIssuer("stranger")) {
            ApiModule module = new ApiModule(new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()), "", null, null,
                    new InferenceConfig("http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1-base", false), false), new Metrics());
            GatewayApp app = new GatewayApp(ConfigLoader.fromYaml(TestGateway.config(TestGateway.issuerYaml("fuzz", issuer, TestIssuer.AUDIENCE, "")),
                    Map.of()), new JdbcAuditSink(module.database()), List.of(module)).start("127.0.0.1", 0);
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                String base = "http://127.0.0.1:" + app.port();
                String admin = issuer.token("admin@example.com", Map.of("fuzz-ws", "Admin"));
                List<String> tokens = List.of(admin, issuer.token("viewer@example.com", Map.of("fuzz-ws", "Viewer")),
                        issuer.sign(issuer.claims("old@example.com").expirationTime(new java.util.Date(0)).build()),
                        stranger.token("admin@example.com", Map.of("fuzz-ws", "Admin")), "garbage", "");
                send(http, base, "POST", "/apis/models/v2/workspaces/fuzz-ws/models", admin, "{\"name\":\"seed-model\"}", Map.of());
                JsonNode doc = JSON.readTree(send(http, base, "GET", "/openapi.json", admin, null, Map.of()).body());
                List<String[]> operations = new ArrayList<>();
                doc.get("paths").properties().forEach(path -> path.getValue().properties()
                        .forEach(op -> operations.add(new String[] {op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey()})));
                Map<Integer, Integer> statuses = new TreeMap<>();
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    String[] operation = operations.get(random.nextInt(operations.size()));
                    JsonNode definition = doc.get("paths").get(operation[1]).get(operation[0].toLowerCase(java.util.Locale.ROOT));
                    String path = path(operation[1], random) + query(definition, random);
                    String token = tokens.get(random.nextInt(tokens.size()));
                    String body = definition.has("requestBody") || random.nextInt(4) == 0 ? body(random) : null;
                    Map<String, String> headers = random.nextBoolean() ? Map.of("Content-Type", "text/plain") : Map.of();
                    String before = snapshot(module);
                    HttpResponse<String> response = send(http, base, operation[0], path, token, body, headers);
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    String problem = problem(response);
                    if (problem == null && response.statusCode() >= 400 && !before.equals(snapshot(module))) {
                        problem = "a refused request changed the store";
                    }
                    if (problem != null && problems.size() < 20) {
                        problems.add(operation[0] + " " + path + " -> " + response.statusCode() + ": " + problem + " "
                                + response.body().substring(0, Math.min(200, response.body().length())));
                    }
                }
                System.out.println("[keygate-test] schema-driven fuzz: " + requests + " requests over " + operations.size()
                        + " operations, seed " + seed + ", " + statuses.size() + " distinct status codes " + statuses);
                assertEquals(List.of(), problems);
                assertTrue(statuses.keySet().stream().noneMatch(status -> status >= 500), statuses.toString());
                assertFalse(statuses.isEmpty());
            } finally {
                app.stop();
                module.close();
            }
        } finally {
            upstream.stop(0);
        }
    }

    /** Null when the response is acceptable, else what is wrong with it. */
    private static String problem(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        if (status >= 500) {
            return "5xx";
        }
        if (body.contains("Exception") || body.contains("\tat ") || body.contains(".java:")) {
            return "stack trace in the body";
        }
        if (status >= 400 && !"HEAD".equals(response.request().method())) {
            // A HEAD answer never has a body (RFC 9110 9.3.2); its status and headers are checked as any other.
            try {
                JsonNode error = JSON.readTree(body);
                if (error == null || !error.isObject() || !error.path("detail").isTextual()) {
                    return "error is not {\"detail\": string}";
                }
            } catch (java.io.IOException e) {
                return "error body is not JSON";
            }
        }
        return null;
    }

    private static String path(String template, Random random) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{([a-z_]+)}").matcher(template);
        while (matcher.find()) {
            String value = switch (random.nextInt(4)) {
                case 0 -> HOSTILE.get(random.nextInt(HOSTILE.size()));
                case 1 -> "seed-model";
                case 2 -> "other-ws";
                default -> matcher.group(1).equals("workspace") ? "fuzz-ws" : "n" + random.nextInt(1000);
            };
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String query(JsonNode definition, Random random) {
        List<String> names = new ArrayList<>();
        definition.path("parameters").forEach(parameter -> {
            if (parameter.path("in").asText().equals("query")) {
                names.add(parameter.path("name").asText());
            }
        });
        names.add("unknown");
        StringBuilder query = new StringBuilder();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            query.append(i == 0 ? '?' : '&').append(names.get(random.nextInt(names.size()))).append('=')
                    .append(List.of("1", "-1", "0", "abc", "99999999999", "true", "2026-01-01T00:00:00Z", "%ZZ", "", "POST")
                            .get(random.nextInt(10)));
        }
        return query.toString();
    }

    private static String body(Random random) {
        if (random.nextInt(3) == 0) {
            return "{\"name\":\"f" + random.nextInt(100_000) + "\",\"description\":\"fuzz\"}";
        }
        return BODIES.get(random.nextInt(BODIES.size()));
    }

    private static HttpResponse<String> send(HttpClient http, String base, String method, String path, String token, String body,
                                             Map<String, String> headers) throws Exception {
        String target = path.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20");
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + target));
        } catch (IllegalArgumentException badEscape) {
            request = HttpRequest.newBuilder(URI.create(base + target.replace("%", "%25")));
        }
        request.timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (body != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException closedUnderUs) {
            // A pooled keep-alive connection the server had just closed (it answers an unread body with
            // "Connection: close"): sent again on a new connection; a server that drops this request
            // itself fails here the second time.
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Everything a request could change outside the audit trail. */
    private static String snapshot(ApiModule module) {
        return module.database().inTransaction(connection -> {
            StringBuilder state = new StringBuilder();
            for (String table : List.of("resources", "job_logs", "org_allocations", "workspace_cleanups")) {
                try (PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table);
                     ResultSet rows = select.executeQuery()) {
                    int columns = rows.getMetaData().getColumnCount();
                    List<String> lines = new ArrayList<>();
                    while (rows.next()) {
                        StringBuilder line = new StringBuilder();
                        for (int c = 1; c <= columns; c++) {
                            line.append(rows.getString(c)).append('|');
                        }
                        lines.add(line.toString());
                    }
                    java.util.Collections.sort(lines);
                    state.append(table).append(lines);
                }
            }
            return state.toString();
        });
    }
}
