package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Workspace groups keep their names even when someone renames them through Keycloak's admin REST API. */
@RealKeycloak
class RenameGuardIT {

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
    void otherGroupsCanStillBeRenamed() {
        KeygateApi api = new KeygateApi(keycloak);
        String admin = keycloak.adminToken();
        String name = KeycloakServer.unique("team");
        KeygateApi.expect(201, api.http.post(keycloak.adminApi() + "/groups", admin, Map.of("name", name)));
        String id = api.groupId(admin, "/" + name);

        KeygateApi.expect(204, api.http.put(keycloak.adminApi() + "/groups/" + id, admin, Map.of("name", name + "-renamed")));
        assertEquals(id, api.groupId(admin, "/" + name + "-renamed"));
    }
}
