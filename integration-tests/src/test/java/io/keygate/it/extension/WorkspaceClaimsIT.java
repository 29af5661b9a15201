package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workspace-roles mapper against a real Keycloak: claims follow live group membership. */
@RealKeycloak
class WorkspaceClaimsIT {

    KeycloakServer keycloak;
    KeygateApi api;

    @BeforeEach
    void setUp() {
        api = new KeygateApi(keycloak);
    }

    @Test
    void adminConsoleMembershipReachesTheNextTokenAndRemovalTakesItAway() {
        String owner = api.newUser("owner");
        String alice = api.newUser("alice");
        String workspace = KeycloakServer.unique("ml-team");
        api.createWorkspace(keycloak.userToken(owner), workspace);
        String admin = keycloak.adminToken();
        String editorGroup = api.groupId(admin, "/workspaces/" + workspace + "/Editor");
        String aliceId = api.userId(admin, alice);

        KeygateApi.expect(204, api.adminJoin(admin, aliceId, editorGroup));
        JsonNode added = KeygateApi.claims(keycloak.userToken(alice)).get("workspaces");
        System.out.println("[claims] after admin REST join: " + added);
        assertEquals("Editor", added.path(workspace).asText());

        KeygateApi.expect(204, api.adminLeave(admin, aliceId, editorGroup));
        JsonNode removed = KeygateApi.claims(keycloak.userToken(alice)).get("workspaces");
        System.out.println("[claims] after admin REST leave: " + removed);
        assertFalse(removed.has(workspace), "claim still has " + workspace + ": " + removed);
    }

    @Test
    void wildcardAndExplicitBindingTakeTheHighestRole() {
        String owner = api.newUser("owner");
        String bob = api.newUser("bob");
        String carol = api.newUser("carol");
        String ownerToken = keycloak.userToken(owner);
        String workspace = KeycloakServer.unique("shared");
        api.createWorkspace(ownerToken, workspace);
        api.addMember(ownerToken, workspace, "*", "Viewer");
        api.addMember(ownerToken, workspace, bob, "Editor");

        JsonNode bobClaims = KeygateApi.claims(keycloak.userToken(bob)).get("workspaces");
        JsonNode carolClaims = KeygateApi.claims(keycloak.userToken(carol)).get("workspaces");
        System.out.println("[claims] wildcard Viewer + explicit Editor: " + bobClaims);
        System.out.println("[claims] wildcard only: " + carolClaims);

        assertEquals("Editor", bobClaims.path(workspace).asText());
        assertEquals("Viewer", carolClaims.path(workspace).asText());
        for (JsonNode claims : new JsonNode[] {bobClaims, carolClaims}) {
            assertEquals("Editor", claims.path("default").asText());
            assertEquals("Viewer", claims.path("system").asText());
        }
    }

    @Test
    void introspectionShowsCurrentRolesOfAnOlderToken() {
        String owner = api.newUser("owner");
        String dave = api.newUser("dave");
        String ownerToken = keycloak.userToken(owner);
        String workspace = KeycloakServer.unique("intro");
        api.createWorkspace(ownerToken, workspace);
        api.addMember(ownerToken, workspace, dave, "Editor");
        String daveToken = keycloak.userToken(dave);
        assertEquals("Editor", KeygateApi.claims(daveToken).path("workspaces").path(workspace).asText());

        KeygateApi.expect(204, api.delete("/workspaces/" + workspace + "/members/" + dave, ownerToken));
        Http.Response introspection = api.http.postForm(keycloak.tokenEndpoint() + "/introspect", Map.of(
                "token", daveToken, "client_id", KeycloakServer.GATEWAY_CLIENT, "client_secret", KeycloakServer.GATEWAY_SECRET));
        KeygateApi.expect(200, introspection);
        JsonNode result = introspection.json();
        System.out.println("[introspect] token issued before removal: active=" + result.path("active")
                + " workspaces=" + result.path("workspaces"));

        assertTrue(result.path("active").asBoolean());
        assertTrue(result.path("workspaces").isObject(), "introspection has the workspaces claim: " + result);
        assertFalse(result.path("workspaces").has(workspace), "introspection still shows " + workspace + ": " + result);
        assertEquals("Editor", result.path("workspaces").path("default").asText());
    }
}
