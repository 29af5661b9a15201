package io.keygate.gateway.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.health.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /apis/auth/discovery} over real HTTP, in NeMo Platform's shape, against a stand-in
 * realm that serves an OpenID Provider metadata document (the real Keycloak: DiscoveryLoginIT).
 */
class DiscoveryRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer realm;
    private final AtomicInteger documentRequests = new AtomicInteger();
    private volatile int documentStatus = 200;
    private String realmUrl;
    private ApiModule api;
    private GatewayApp gateway;

    @BeforeEach
    void startRealm() throws IOException {
        realm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        realmUrl = "http://127.0.0.1:" + realm.getAddress().getPort() + "/realms/keygate";
        realm.createContext("/realms/keygate/.well-known/openid-configuration", exchange -> {
            documentRequests.incrementAndGet();
            String issuer = "https://sso.example.com/realms/keygate";
            byte[] body = JSON.writeValueAsBytes(Map.of("issuer", issuer,
                    "authorization_endpoint", issuer + "/protocol/openid-connect/auth",
                    "token_endpoint", issuer + "/protocol/openid-connect/token",
                    "device_authorization_endpoint", issuer + "/protocol/openid-connect/auth/device",
                    "userinfo_endpoint", issuer + "/protocol/openid-connect/userinfo",
                    "jwks_uri", issuer + "/protocol/openid-connect/certs"));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(documentStatus, documentStatus == 200 ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (documentStatus == 200) {
                    out.write(body);
                }
            }
        });
        realm.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop();
            api.close();
        }
        realm.stop(0);
    }

    private void startGateway(String extraYaml) {
        String port = String.valueOf(realm.getAddress().getPort());
        String yaml = """
                keycloak:
                  url: http://127.0.0.1:%s
                  realm: keygate
                storage:
                  jdbcUrl: jdbc:h2:file:%s
                audit:
                  sink: none
                issuers:
                  - name: kc
                    issuer: %s
                    jwks: %s/protocol/openid-connect/certs
                    audiences: [keygate-api]
                    algorithms: [RS256]
                """.formatted(port, dir.resolve("db"), realmUrl, realmUrl) + extraYaml;
        GatewayConfig config = ConfigLoader.fromYaml(yaml, Map.of());
        api = new ApiModule(ApiModule.settings(config), new Metrics());
        gateway = new GatewayApp(config, List.of(api)).start("127.0.0.1", 0);
    }

    private HttpResponse<String> discovery() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + DiscoveryRoutes.PATH)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void answersWithoutATokenInNemoPlatformsShapeWithTheRealmsOwnEndpoints() throws Exception {
        startGateway("");
        HttpResponse<String> response = discovery();
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("auth_enabled").asBoolean());
        JsonNode oidc = body.get("oidc");
        String issuer = "https://sso.example.com/realms/keygate";
        assertEquals(issuer, oidc.get("issuer").asText());
        assertEquals(issuer + "/protocol/openid-connect/auth", oidc.get("authorization_endpoint").asText());
        assertEquals(issuer + "/protocol/openid-connect/token", oidc.get("token_endpoint").asText());
        assertEquals(issuer + "/protocol/openid-connect/auth/device", oidc.get("device_authorization_endpoint").asText());
        assertEquals(issuer + "/protocol/openid-connect/userinfo", oidc.get("userinfo_endpoint").asText());
        assertEquals("nmp-cli", oidc.get("client_id").asText());
        assertEquals("openid profile email", oidc.get("default_scopes").asText());
        assertTrue(oidc.get("scope_prefix").isNull());
        assertEquals(List.of("authorization_endpoint", "client_id", "default_scopes", "device_authorization_endpoint", "issuer",
                "scope_prefix", "token_endpoint", "userinfo_endpoint"), sortedFields(oidc));
        assertEquals(List.of("auth_enabled", "oidc"), sortedFields(body));
    }

    @Test
    void clientScopesAndPrefixAreSettings() throws Exception {
        startGateway("""
                auth:
                  discovery:
                    clientId: my-cli
                    defaultScopes: openid email offline_access
                    scopePrefix: "api://keygate/"
                """);
        JsonNode oidc = JSON.readTree(discovery().body()).get("oidc");
        assertEquals("my-cli", oidc.get("client_id").asText());
        assertEquals("openid email offline_access", oidc.get("default_scopes").asText());
        assertEquals("api://keygate/", oidc.get("scope_prefix").asText());
    }

    @Test
    void withAuthenticationOffItSaysSoAndNamesNoProvider() throws Exception {
        startGateway("auth:\n  enabled: false\n");
        JsonNode body = JSON.readTree(discovery().body());
        assertFalse(body.get("auth_enabled").asBoolean());
        assertTrue(body.get("oidc").isNull());
        assertEquals(0, documentRequests.get(), "no call to Keycloak when auth is off");
    }

    @Test
    void keepsTheLastDocumentWhenKeycloakFailsAndIs503WhenItNeverAnswered() throws Exception {
        documentStatus = 503;
        startGateway("");
        HttpResponse<String> never = discovery();
        assertEquals(503, never.statusCode());
        assertTrue(JSON.readTree(never.body()).get("detail").asText().contains("discovery document is unavailable"), never.body());
        documentStatus = 200;
        assertEquals(200, discovery().statusCode());
        int fetched = documentRequests.get();
        documentStatus = 500;
        HttpResponse<String> cached = discovery();
        assertEquals(200, cached.statusCode());
        assertEquals(fetched, documentRequests.get(), "a fresh document is reused, not fetched per request");
    }

    private static List<String> sortedFields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(String::compareTo);
        return names;
    }
}
