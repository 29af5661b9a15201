package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** A user in 500 workspaces: the token stays small (distributed claims) and me/workspaces lists them all. */
@RealKeycloak
class OverageIT {

    private static final int WORKSPACES = 500;

    KeycloakServer keycloak;

    @Test
    void fiveHundredWorkspacesUseDistributedClaims() throws Exception {
        KeygateApi api = new KeygateApi(keycloak);
        String user = api.newUser("busy");
        String token = keycloak.userToken(user);
        String prefix = KeycloakServer.unique("ov");
        List<String> names = createWorkspaces(api, token, prefix);

        String fresh = keycloak.userToken(user);
        JsonNode claims = KeygateApi.claims(fresh);
        System.out.println("[overage] access token of a user in " + WORKSPACES + " workspaces: " + fresh.length()
                + " bytes; _claim_names=" + claims.path("_claim_names") + " _claim_sources=" + claims.path("_claim_sources"));

        assertTrue(fresh.length() < 8 * 1024, "token is " + fresh.length() + " bytes");
        assertFalse(claims.has("workspaces"), "overage token leaves the claim out");
        assertEquals("src1", claims.path("_claim_names").path("workspaces").asText());
        String endpoint = claims.path("_claim_sources").path("src1").path("endpoint").asText();
        assertEquals(keycloak.issuer() + "/keygate/me/workspaces", endpoint);

        Http.Response listed = api.http.get(endpoint, fresh);
        KeygateApi.expect(200, listed);
        JsonNode workspaces = listed.json().get("workspaces");
        System.out.println("[overage] me/workspaces lists " + workspaces.size() + " workspaces");
        for (String name : names) {
            assertEquals("Admin", workspaces.path(name).asText(), name);
        }
        assertEquals("Editor", workspaces.path("default").asText());
        assertEquals("Viewer", workspaces.path("system").asText());
    }

    /** Fewer workspaces than the count limit, but 63-character names: the claim's byte budget sends it to overage. */
    @Test
    void longWorkspaceNamesUseDistributedClaimsBelowTheCountLimit() throws Exception {
        KeygateApi api = new KeygateApi(keycloak);
        String user = api.newUser("long");
        String token = keycloak.userToken(user);
        String prefix = KeycloakServer.unique("ln");
        List<String> names = createWorkspaces(api, token, 60, i -> (prefix + "-" + i + "-" + "n".repeat(63)).substring(0, 63));

        String fresh = keycloak.userToken(user);
        JsonNode claims = KeygateApi.claims(fresh);
        System.out.println("[overage] access token of a user in " + names.size() + " workspaces with 63-character names: "
                + fresh.length() + " bytes; has workspaces claim: " + claims.has("workspaces"));

        assertTrue(fresh.length() <= 8 * 1024, "token is " + fresh.length() + " bytes");
        assertFalse(claims.has("workspaces"), "the claim would exceed its byte budget");
        assertEquals("src1", claims.path("_claim_names").path("workspaces").asText());
        JsonNode workspaces = api.http.get(keycloak.issuer() + "/keygate/me/workspaces", fresh).json().get("workspaces");
        for (String name : names) {
            assertEquals("Admin", workspaces.path(name).asText(), name);
        }
    }

    private static List<String> createWorkspaces(KeygateApi api, String token, String prefix) throws Exception {
        return createWorkspaces(api, token, WORKSPACES, i -> prefix + "-" + i);
    }

    private static List<String> createWorkspaces(KeygateApi api, String token, int count, IntFunction<String> naming) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = naming.apply(i);
                created.add(pool.submit(() -> {
                    KeygateApi.expect(201, api.post("/workspaces", token, Map.of("name", name)));
                    return name;
                }));
            }
            List<String> names = new ArrayList<>();
            for (Future<String> name : created) {
                names.add(name.get());
            }
            return names;
        } finally {
            pool.shutdownNow();
        }
    }
}
