package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A token minted before a membership change still works for what Keycloak allows now: the
 * creator manages the workspace they just created, and a member just added or promoted uses
 * the new role, without fetching a new token. Nothing is granted that Keycloak does not hold.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshRolesIT {

    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

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
    void creatorManagesANewWorkspaceWithTheTokenThatCreatedIt() {
        String owner = keycloak.newUser("fresh-owner");
        String token = keycloak.userToken(owner);
        String ws = KeycloakServer.unique("fresh");

        expect(201, gateway.post(WORKSPACES, token, Map.of("name", ws)));

        expect(200, gateway.get(WORKSPACES + "/" + ws + "/members", token));
        expect(201, gateway.post("/apis/entities/v2/workspaces/" + ws + "/projects", token, Map.of("name", "first")));
    }

    @Test
    void platformAdminCannotCreateResourcesInAWorkspaceThatDoesNotExist() {
        String admin = keycloak.userToken("admin@example.com");
        String ws = KeycloakServer.unique("not-yet");
        String projects = "/apis/entities/v2/workspaces/" + ws + "/projects";

        Http.Response missing = expect(404, gateway.post(projects, admin, Map.of("name", "orphan")));
        assertTrue(missing.json().get("detail").asText().contains(ws), missing.toString());
        expect(201, gateway.post(WORKSPACES, admin, Map.of("name", ws)));
        expect(201, gateway.post(projects, admin, Map.of("name", "first")));
    }

    @Test
    void aTokenMintedBeforeItsWorkspaceWasDeletedLeavesNothingForTheNextWorkspaceOfThatName() {
        String owner = keycloak.newUser("gone-owner");
        String ws = KeycloakServer.unique("reborn");
        String projects = WORKSPACES + "/" + ws + "/projects";
        expect(201, gateway.post(WORKSPACES, keycloak.userToken(owner), Map.of("name", ws)));
        String minted = keycloak.userToken(owner);
        expect(200, gateway.delete(WORKSPACES + "/" + ws, minted));

        Http.Response late = gateway.post(projects, minted, Map.of("name", "left-behind"));
        System.out.println("[fresh] create with a token minted before its workspace was deleted: " + late);
        expect(404, late);
        assertTrue(late.json().get("detail").asText().contains(ws), late.toString());

        String successor = keycloak.newUser("successor");
        String successorToken = keycloak.userToken(successor);
        expect(201, gateway.post(WORKSPACES, successorToken, Map.of("name", ws)));
        Http.Response inherited = expect(200, gateway.get(projects, successorToken));
        assertTrue(inherited.json().get("data").isEmpty(), "the new workspace inherited " + inherited);
    }

    @Test
    void memberAddedOrPromotedAfterTheirTokenWasIssuedGetsTheNewRoleAndNoMore() {
        String owner = keycloak.newUser("fresh-admin");
        String member = keycloak.newUser("fresh-member");
        String ownerToken = keycloak.userToken(owner);
        String ws = KeycloakServer.unique("fresh");
        String members = WORKSPACES + "/" + ws + "/members";
        String projects = "/apis/entities/v2/workspaces/" + ws + "/projects";
        expect(201, gateway.post(WORKSPACES, ownerToken, Map.of("name", ws)));
        String beforeGrant = keycloak.userToken(member);
        expect(403, gateway.get(projects, keycloak.userToken(member)));

        expect(201, gateway.post(members, ownerToken, Map.of("principal", member, "roles", List.of("Viewer"))));
        String beforePromotion = keycloak.userToken(member);

        expect(200, gateway.get(projects, beforeGrant));
        Http.Response refused = expect(403, gateway.post(projects, beforeGrant, Map.of("name", "by-viewer")));
        assertTrue(refused.json().get("detail").asText().contains("Editor"), refused.toString());

        expect(200, gateway.put(members + "/" + member, ownerToken, Map.of("roles", List.of("Editor"))));
        expect(201, gateway.post(projects, beforePromotion, Map.of("name", "by-editor")));
        expect(403, gateway.delete(WORKSPACES + "/" + ws, beforePromotion));
    }
}
