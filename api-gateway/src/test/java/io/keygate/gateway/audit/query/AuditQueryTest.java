package io.keygate.gateway.audit.query;

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
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit query API over real HTTP on H2 with the built-in policy: who may read which entries,
 * the filters, pagination newest first, masking, and 422 {@code {"detail"}} for bad filters.
 */
class AuditQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static TestIssuer issuer;
    private static ApiModule module;
    private static GatewayApp app;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer("auditq");
        module = new ApiModule(new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()), "", null, null,
                InferenceConfig.none(), false), new Metrics());
        app = new GatewayApp(ConfigLoader.fromYaml(TestGateway.config(TestGateway.issuerYaml("auditq", issuer, TestIssuer.AUDIENCE, "")),
                Map.of()), new JdbcAuditSink(module.database()), List.of(module)).start("127.0.0.1", 0);
        admin = issuer.token("root@example.com", Map.of(), b -> b.claim("realm_access", Map.of("roles", List.of("platform-admin"))));
        String editorA = issuer.token("editor@example.com", Map.of("team-a", "Editor"));
        String viewerB = issuer.token("viewer@example.com", Map.of("team-b", "Viewer"));
        assertEquals(201, send("POST", "/apis/models/v2/workspaces/team-a/models?api_key=s3cr3t", editorA,
                "{\"name\":\"m1\"}").statusCode());
        assertEquals(403, send("POST", "/apis/models/v2/workspaces/team-b/models", viewerB, "{\"name\":\"m2\"}").statusCode());
        assertEquals(401, send("GET", "/apis/models/v2/workspaces/team-a/models", "not-a-token", null).statusCode());
        awaitEntries(3);
    }

    @AfterAll
    static void stop() {
        app.stop();
        module.close();
        issuer.close();
    }

    @Test
    void aPlatformAdminSeesEveryEntryNewestFirstWithSecretsMasked() throws Exception {
        JsonNode page = json(send("GET", AuditRoutes.ALL, admin, null), 200);
        JsonNode data = page.get("data");
        assertTrue(data.size() >= 3, page.toString());
        for (int i = 1; i < data.size(); i++) {
            assertTrue(data.get(i - 1).get("id").asLong() > data.get(i).get("id").asLong(), "newest first: " + data);
        }
        JsonNode failedLogin = find(data, e -> e.get("status").asInt() == 401);
        assertEquals("unauthenticated", failedLogin.get("outcome").asText());
        assertTrue(failedLogin.get("principal").isNull());
        JsonNode create = find(data, e -> e.get("method").asText().equals("POST") && e.get("status").asInt() == 201);
        assertEquals("editor@example.com", create.get("principal").asText());
        assertEquals("team-a", create.get("workspace").asText());
        assertEquals("/apis/models/v2/workspaces/team-a/models?api_key=***", create.get("path").asText());
        assertFalse(page.toString().contains("s3cr3t"));
        assertEquals(data.size(), page.get("pagination").get("total_results").asInt());
    }

    @Test
    void filtersNarrowTheEntries() throws Exception {
        JsonNode failed = json(send("GET", AuditRoutes.ALL + "?failed_only=true", admin, null), 200).get("data");
        failed.forEach(e -> assertTrue(e.get("status").asInt() >= 400, e.toString()));
        assertTrue(failed.size() >= 2);
        JsonNode byPrincipal = json(send("GET", AuditRoutes.ALL + "?principal=viewer@example.com&method=post&status=403", admin, null),
                200).get("data");
        assertEquals(1, byPrincipal.size(), byPrincipal.toString());
        assertEquals("team-b", byPrincipal.get(0).get("workspace").asText());
        assertEquals(0, json(send("GET", AuditRoutes.ALL + "?until=2000-01-01T00:00:00Z", admin, null), 200).get("data").size());
        JsonNode onePerPage = json(send("GET", AuditRoutes.ALL + "?page_size=1&page=2", admin, null), 200);
        assertEquals(1, onePerPage.get("data").size());
        assertEquals(2, onePerPage.get("pagination").get("page").asInt());
    }

    @Test
    void aWorkspaceAdminSeesOnlyTheirWorkspace() throws Exception {
        String adminA = issuer.token("owner@example.com", Map.of("team-a", "Admin"));
        JsonNode data = json(send("GET", "/apis/entities/v2/workspaces/team-a/audit", adminA, null), 200).get("data");
        assertTrue(data.size() >= 1);
        data.forEach(e -> assertEquals("team-a", e.get("workspace").asText(), e.toString()));
        assertDetail(send("GET", "/apis/entities/v2/workspaces/team-b/audit", adminA, null), 403);
        assertDetail(send("GET", AuditRoutes.ALL, adminA, null), 403);
        assertDetail(send("GET", "/apis/entities/v2/workspaces/team-a/audit?workspace=team-b", adminA, null), 422);
    }

    @Test
    void viewersAndEditorsAreRefused() throws Exception {
        String viewer = issuer.token("viewer@example.com", Map.of("team-a", "Viewer"));
        String editor = issuer.token("editor@example.com", Map.of("team-a", "Editor"));
        assertDetail(send("GET", "/apis/entities/v2/workspaces/team-a/audit", viewer, null), 403);
        assertDetail(send("GET", "/apis/entities/v2/workspaces/team-a/audit", editor, null), 403);
        assertDetail(send("GET", AuditRoutes.ALL, viewer, null), 403);
    }

    @Test
    void badFiltersAnswer422WithADetail() throws Exception {
        for (String query : List.of("status=abc", "status=99", "method=FETCH", "since=yesterday", "failed_only=yes",
                "since=2030-01-01T00:00:00Z&until=2020-01-01T00:00:00Z", "page=0", "page_size=100000", "sort=-updated_at",
                "bogus=1", "workspace=Not_A_Name")) {
            assertDetail(send("GET", AuditRoutes.ALL + "?" + query, admin, null), 422);
        }
    }

    private static void assertDetail(HttpResponse<String> response, int status) throws Exception {
        JsonNode body = json(response, status);
        assertTrue(body.has("detail") && body.get("detail").isTextual(), body.toString());
    }

    private static JsonNode find(JsonNode data, Predicate<JsonNode> test) {
        for (JsonNode entry : data) {
            if (test.test(entry)) {
                return entry;
            }
        }
        throw new AssertionError("no such entry in " + data);
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void awaitEntries(int count) {
        JdbcAuditSink sink = new JdbcAuditSink(module.database());
        long deadline = System.currentTimeMillis() + 10_000;
        while (sink.recent(count).size() < count && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
