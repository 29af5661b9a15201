package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workspace group tree keeps its shape when someone changes it through Keycloak's admin REST
 * API (what the admin console calls): no rename, no move, no delete; the keygate API still deletes.
 */
@RealKeycloak
class WorkspaceTreeGuardIT {

    KeycloakServer keycloak;

    @Test
    void adminRestApiCannotRenameWorkspaceOrRoleGroups() {
        KeygateApi api = new KeygateApi(keycloak);
        String owner = api.newUser("renamer");
        String workspace = KeycloakServer.unique("fixed");
        api.createWorkspace(keycloak.userToken(owner), workspace);
        String admin = keycloak.adminToken();
        String workspaceId = api.groupId(admin, "/workspaces/" + workspace);
        String editorId = api.groupId(admin, "/workspaces/" + workspace + "/Editor");

        Http.Response renameWorkspace = api.http.put(keycloak.adminApi() + "/groups/" + workspaceId, admin, Map.of("name", workspace + "-x"));
        Http.Response renameRole = api.http.put(keycloak.adminApi() + "/groups/" + editorId, admin, Map.of("name", "Writers"));
        System.out.println("[rename] workspace group -> " + renameWorkspace + "; role group -> " + renameRole);

        assertEquals(409, renameWorkspace.status());
        assertEquals(409, renameRole.status());
        assertEquals(workspaceId, api.groupId(admin, "/workspaces/" + workspace));
        assertEquals(editorId, api.groupId(admin, "/workspaces/" + workspace + "/Editor"));
        KeygateApi.expect(200, api.get("/workspaces/" + workspace, keycloak.userToken(owner)));
    }

    @Test
    void adminRestApiCannotDeleteTheRootAWorkspaceABuiltInOrARoleGroup() {
        KeygateApi api = new KeygateApi(keycloak);
        String owner = api.newUser("deleter");
        String ownerToken = keycloak.userToken(owner);
        String workspace = KeycloakServer.unique("kept");
        api.createWorkspace(ownerToken, workspace);
        String admin = keycloak.adminToken();
        String adminGroup = api.groupId(admin, "/workspaces/" + workspace + "/Admin");

        Http.Response role = api.http.delete(keycloak.adminApi() + "/groups/" + adminGroup, admin);
        Http.Response whole = api.http.delete(keycloak.adminApi() + "/groups/" + api.groupId(admin, "/workspaces/" + workspace), admin);
        Http.Response builtIn = api.http.delete(keycloak.adminApi() + "/groups/" + api.groupId(admin, "/workspaces/default"), admin);
        Http.Response root = api.http.delete(keycloak.adminApi() + "/groups/" + api.groupId(admin, "/workspaces"), admin);
        System.out.println("[tree] delete Admin group -> " + role + "; workspace group -> " + whole
                + "; default -> " + builtIn + "; /workspaces -> " + root);

        assertEquals(409, role.status());
        assertTrue(role.body().contains("cannot be deleted: change the workspace's members instead"), role.body());
        assertEquals(409, whole.status());
        assertTrue(whole.body().contains("delete it through the keygate API"), whole.body());
        assertEquals(409, builtIn.status());
        assertTrue(builtIn.body().contains("built in"), builtIn.body());
        assertEquals(409, root.status());
        assertEquals(adminGroup, api.groupId(admin, "/workspaces/" + workspace + "/Admin"), "the Admin group is still there");
        JsonNode members = api.get("/workspaces/" + workspace + "/members", ownerToken).json();
        assertEquals(owner, members.get("data").get(0).get("principal").asText(), "and still holds the creator");

        KeygateApi.expect(204, api.delete("/workspaces/" + workspace, ownerToken));
        KeygateApi.expect(404, api.http.get(keycloak.adminApi() + "/group-by-path/workspaces/" + workspace, admin));
    }

    @Test
    void otherGroupsCanStillBeRenamedAndDeleted() {
        KeygateApi api = new KeygateApi(keycloak);
        String admin = keycloak.adminToken();
        String name = KeycloakServer.unique("team");
        KeygateApi.expect(201, api.http.post(keycloak.adminApi() + "/groups", admin, Map.of("name", name)));
        String id = api.groupId(admin, "/" + name);

        KeygateApi.expect(204, api.http.put(keycloak.adminApi() + "/groups/" + id, admin, Map.of("name", name + "-renamed")));
        assertEquals(id, api.groupId(admin, "/" + name + "-renamed"));
        KeygateApi.expect(204, api.http.delete(keycloak.adminApi() + "/groups/" + id, admin));
    }
}
