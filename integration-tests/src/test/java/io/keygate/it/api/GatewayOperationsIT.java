package io.keygate.it.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Readiness against the real Keycloak, metrics for real decisions, and the OpenAPI document, without a token. */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOperationsIT {

    KeycloakServer keycloak;
    GatewayUnderTest gateway;

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void readyWhenKeycloakAndStorageAnswer() {
        Http.Response ready = gateway.get("/readyz", null);
        assertEquals(200, ready.status(), ready.toString());
        assertEquals("up", ready.json().get("checks").get("keycloak").asText());
        assertEquals("up", ready.json().get("checks").get("storage").asText());
        assertEquals(200, gateway.get("/healthz", null).status());
    }

    @Test
    void metricsCountAllowedAndDeniedDecisionsAndVerificationTime() {
        String outsider = KeycloakServer.unique("outsider") + "@example.com";
        keycloak.createUser(outsider);
        String ws = KeycloakServer.unique("metrics");
        String ownerEmail = KeycloakServer.unique("owner") + "@example.com";
        keycloak.createUser(ownerEmail);
        String owner = keycloak.userToken(ownerEmail);
        assertEquals(201, gateway.post("/apis/entities/v2/workspaces", owner, Map.of("name", ws)).status());
        assertEquals(403, gateway.get("/apis/entities/v2/workspaces/" + ws + "/projects", keycloak.userToken(outsider)).status());
        assertEquals(401, gateway.get("/apis/entities/v2/workspaces", null).status());
        String text = gateway.get("/metrics", null).body();
        System.out.println("[metrics]\n" + text);
        assertEquals(1, sample(text, "keygate_http_requests_total", "route=\"/apis/entities/v2/workspaces\"", "method=\"POST\"",
                "status=\"201\""), text);
        assertEquals(1, sample(text, "keygate_http_requests_total", "route=\"/apis/entities/v2/workspaces/{workspace}/projects\"",
                "method=\"GET\"", "status=\"403\""), text);
        assertTrue(sample(text, "keygate_policy_decisions_total", "decision=\"allowed\"") >= 1, text);
        assertTrue(sample(text, "keygate_policy_decisions_total", "decision=\"denied\"") >= 1, text);
        assertTrue(sample(text, "keygate_token_verification_seconds_count") >= 3, text);
        assertTrue(sample(text, "keygate_authorization_seconds_count") >= 3, text);
    }

    /**
     * The value of the one sample of {@code name} carrying every given {@code label="value"} pair, in
     * whatever label order the exposition writes them.
     */
    private static double sample(String text, String name, String... labels) {
        java.util.List<Double> values = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        if (values.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + String.join(",", labels) + ", found " + values.size());
        }
        return values.get(0);
    }

    @Test
    void openApiDocumentIsPublicAndDescribesTheNemoRoutes() {
        Http.Response response = gateway.get("/openapi.json", null);
        assertEquals(200, response.status());
        JsonNode paths = response.json().get("paths");
        assertTrue(paths.get("/apis/entities/v2/workspaces").has("post"));
        assertTrue(paths.get("/apis/entities/v2/workspaces/{workspace}/members/{principal_id}").has("put"));
        assertTrue(paths.get("/apis/inference-gateway/v2/workspaces/{workspace}/openai/-/{path}").has("post"));
        assertTrue(paths.get("/readyz").has("get"));
    }
}
