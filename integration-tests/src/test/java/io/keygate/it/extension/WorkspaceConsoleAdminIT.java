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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16: a workspace Admin manages the members of their own workspace through Keycloak's admin REST
 * API (what the admin console calls) with their own {@code admin-cli} token, and nothing else.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceConsoleAdminIT {

    static final String WORKSPACE_ADMIN_ROLE = "keygate-workspace-admin";

    KeycloakServer keycloak;
    KeygateApi api;
    Http http;
    String owner;
    String workspace;
    String other;
    String bob;
    String bobId;

    @BeforeAll
    void workspaces() {
        api = new KeygateApi(keycloak);
        http = api.http;
        owner = keycloak.newUser("ws-owner");
        workspace = KeycloakServer.unique("console");
        api.createWorkspace(keycloak.userToken(owner), workspace);
        other = KeycloakServer.unique("console-other");
        String otherOwner = keycloak.newUser("other-owner");
        api.createWorkspace(keycloak.userToken(otherOwner), other);
        api.addMember(keycloak.userToken(otherOwner), other, keycloak.newUser("other-member"), "Viewer");
        bob = keycloak.newUser("bob");
        bobId = api.userId(master(), bob);
    }

    /** The workspace Admin's own token for the realm's admin-cli client (password grant), as the console gets one. */
    String consoleToken(String username) {
        Http.Response response = http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", username, "password", KeycloakServer.DEV_PASSWORD));
        Http.expect(200, response);
        return response.json().get("access_token").asText();
    }

    Http.Response admin(String method, String path, String token, Object body) {
        String url = keycloak.adminApi() + path;
        return switch (method) {
            case "GET" -> http.get(url, token);
            case "DELETE" -> http.delete(url, token);
            case "PUT" -> body == null
                    ? http.send(Http.request(url, token).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()))
                    : http.put(url, token, body);
            case "POST" -> http.post(url, token, body);
            default -> throw new IllegalArgumentException(method);
        };
    }

    Http.Response logged(String what, Http.Response response) {
        String body = response.body() == null ? "" : response.body();
        System.out.printf("[keygate-it] console-admin %-58s -> %d %s%n", what, response.status(),
                body.length() > 160 ? body.substring(0, 160) + "..." : body);
        return response;
    }

    /** A fresh master-realm admin token (they live 60 s, shorter than this class runs on a loaded machine). */
    String master() {
        return keycloak.adminToken();
    }

    String group(String path) {
        return api.groupId(master(), path);
    }

    @Test
    void adminManagesOwnWorkspaceMembersAndNothingElse() {
        String token = consoleToken(owner);
        String editor = group("/workspaces/" + workspace + "/Editor");

        JsonNode found = Http.expect(200, logged("find bob by email", admin("GET", "/users?exact=true&email=" + Http.enc(bob), token, null))).json();
        assertEquals(1, found.size(), found.toString());
        assertEquals(bobId, found.get(0).get("id").asText());

        Http.expect(204, logged("add bob to own Editor group", admin("PUT", "/users/" + bobId + "/groups/" + editor, token, null)));
        JsonNode members = Http.expect(200, logged("list own Editor members", admin("GET", "/groups/" + editor + "/members", token, null))).json();
        assertTrue(usernames(members).contains(bob), members.toString());
        JsonNode rows = Http.expect(200, api.get("/workspaces/" + workspace + "/members", keycloak.userToken(owner))).json().get("data");
        JsonNode bobRow = StreamSupport.stream(rows.spliterator(), false).filter(row -> bob.equals(row.get("principal").asText())).findFirst().orElseThrow();
        System.out.println("[keygate-it] console-admin grant row of bob: " + bobRow);
        assertEquals(owner, bobRow.get("granted_by").asText(), "granted_by names the workspace Admin who used the console");
        assertEquals("Editor", bobRow.get("roles").get(0).asText());
        Http.expect(204, logged("remove bob from own Editor group", admin("DELETE", "/users/" + bobId + "/groups/" + editor, token, null)));
        assertFalse(usernames(Http.expect(200, admin("GET", "/groups/" + editor + "/members", token, null)).json()).contains(bob));

        String otherEditor = group("/workspaces/" + other + "/Editor");
        String otherViewer = group("/workspaces/" + other + "/Viewer");
        Http.expect(403, logged("add bob to another workspace's Editor group", admin("PUT", "/users/" + bobId + "/groups/" + otherEditor, token, null)));
        Http.expect(403, logged("list another workspace's Viewer members", admin("GET", "/groups/" + otherViewer + "/members", token, null)));
        Http.expect(403, logged("read another workspace's group", admin("GET", "/groups/" + group("/workspaces/" + other), token, null)));
        Http.expect(403, logged("remove a member of another workspace", admin("DELETE", "/users/" + bobId + "/groups/" + otherViewer, token, null)));
    }

    /**
     * With the realm's admin permissions on, Keycloak narrows group and user queries to what the session's
     * context user may view as an administrator, and during a token request that user is the token's subject.
     * Keygate's reads are not narrowed (WholeModel): a user with no admin rights and no membership gets a new
     * wildcard role in their very next token, and the realm-wide wildcard cache is not filled from a narrowed view.
     */
    @Test
    void aWildcardRoleReachesTheNextTokenOfAUserWithNoAdminRights() {
        String wsOwner = keycloak.newUser("wild-owner");
        String ws = KeycloakServer.unique("console-wild");
        api.createWorkspace(keycloak.userToken(wsOwner), ws);
        String nobody = keycloak.newUser("nobody");
        assertFalse(KeygateApi.claims(keycloak.userToken(nobody)).path("workspaces").has(ws), "no role before the wildcard");
        api.addMember(keycloak.userToken(wsOwner), ws, "*", "Viewer");
        JsonNode after = KeygateApi.claims(keycloak.userToken(nobody)).path("workspaces");
        System.out.println("[keygate-it] console-admin a non-member's workspaces claim after '*' Viewer: " + after);
        assertEquals("Viewer", after.path(ws).asText(), "the wildcard role is in the next token of a user without admin rights");
    }

    @Test
    void noUserEditsClientsRolesRealmSettingsOrGroupChanges() {
        String token = consoleToken(owner);
        String ownerId = api.userId(master(), owner);
        String ws = group("/workspaces/" + workspace);
        Map<String, Object> disabled = Map.of("enabled", false);
        Http.expect(403, logged("GET clients", admin("GET", "/clients", token, null)));
        Http.expect(403, logged("GET roles", admin("GET", "/roles", token, null)));
        Http.expect(403, logged("PUT users/{bob} (disable)", admin("PUT", "/users/" + bobId, token, disabled)));
        Http.expect(403, logged("PUT users/{bob}/reset-password", admin("PUT", "/users/" + bobId + "/reset-password", token,
                Map.of("type", "password", "value", "hijacked-1", "temporary", false))));
        Http.expect(403, logged("DELETE users/{bob}", admin("DELETE", "/users/" + bobId, token, null)));
        Http.expect(403, logged("POST users (create)", admin("POST", "/users", token, Map.of("username", KeycloakServer.unique("sneaky")))));
        Http.Response realm = logged("GET realm settings", admin("GET", "", token, null));
        assertTrue(realm.status() == 403 || !realm.body().contains("accessTokenLifespan"),
                "at most the public summary Keycloak gives every admin, no settings: " + realm);
        Http.expect(403, logged("PUT realm settings", admin("PUT", "", token, Map.of("registrationAllowed", true))));
        Http.expect(403, logged("map realm role platform-admin to self", admin("POST", "/users/" + ownerId + "/role-mappings/realm", token,
                List.of(Http.expect(200, admin("GET", "/roles/platform-admin", master(), null)).json()))));
        Http.expect(403, logged("join the built-in default's Admin group", admin("PUT", "/users/" + ownerId + "/groups/" + group("/workspaces/default/Admin"), token, null)));
        Http.expect(403, logged("join another workspace's Admin group", admin("PUT", "/users/" + ownerId + "/groups/" + group("/workspaces/" + other + "/Admin"), token, null)));
        Http.expect(403, logged("create a group", admin("POST", "/groups", token, Map.of("name", KeycloakServer.unique("grp")))));

        int delete = logged("DELETE own workspace group", admin("DELETE", "/groups/" + ws, token, null)).status();
        assertTrue(delete == 403 || delete == 409, "deleting the workspace group is refused: " + delete);
        int rename = logged("rename own workspace group", admin("PUT", "/groups/" + ws, token, Map.of("name", workspace + "-renamed"))).status();
        assertTrue(rename == 403 || rename == 409, "renaming the workspace group is refused: " + rename);
        assertEquals(workspace, Http.expect(200, admin("GET", "/groups/" + ws, master(), null)).json().get("name").asText());

        Http.Response last = logged("remove self as the last Admin", admin("DELETE", "/users/" + ownerId + "/groups/" + group("/workspaces/" + workspace + "/Admin"), token, null));
        Http.expect(409, last);
        assertTrue(last.body().contains("Cannot remove the last Admin of workspace '" + workspace + "'"), last.body());
    }

    @Test
    void groupListShowsOnlyTheOwnWorkspace() {
        String token = consoleToken(owner);
        JsonNode top = Http.expect(200, logged("GET groups (top level)", admin("GET", "/groups", token, null))).json();
        List<String> names = new ArrayList<>();
        top.forEach(group -> names.add(group.get("name").asText()));
        assertEquals(List.of("workspaces"), names, "only the path to the own workspace is listed: " + top);
        String root = top.get(0).get("id").asText();
        JsonNode children = Http.expect(200, logged("GET groups/{workspaces}/children", admin("GET", "/groups/" + root + "/children?max=1000", token, null))).json();
        List<String> visible = new ArrayList<>();
        children.forEach(group -> visible.add(group.get("name").asText()));
        assertEquals(List.of(workspace), visible, "no other workspace is visible: " + children);
    }

    @Test
    void demotionRemovesConsoleRightsAtOnce() {
        String second = keycloak.newUser("second-admin");
        api.addMember(keycloak.userToken(owner), workspace, second, "Admin");
        String token = consoleToken(second);
        String editor = group("/workspaces/" + workspace + "/Editor");
        Http.expect(200, logged("second Admin lists Editor members", admin("GET", "/groups/" + editor + "/members", token, null)));
        Http.expect(200, api.put("/workspaces/" + workspace + "/members/" + second, keycloak.userToken(owner), Map.of("roles", List.of("Viewer"))));
        Http.expect(403, logged("same token after demotion to Viewer: list members", admin("GET", "/groups/" + editor + "/members", token, null)));
        Http.expect(403, logged("same token after demotion: add bob", admin("PUT", "/users/" + bobId + "/groups/" + editor, token, null)));
        Http.expect(403, logged("same token after demotion: find bob", admin("GET", "/users?exact=true&email=" + Http.enc(bob), token, null)));
    }

    @Test
    void permissionsFollowTheWorkspaceLifecycle() {
        String ws = KeycloakServer.unique("console-life");
        String creator = keycloak.newUser("life-owner");
        api.createWorkspace(keycloak.userToken(creator), ws);
        List<String> created = keygatePolicies(ws);
        System.out.println("[keygate-it] console-admin policies of " + ws + ": " + created);
        assertEquals(List.of("admins", "groups", "membership"), created);
        assertTrue(realmRolesOf("/workspaces/" + ws + "/Admin").contains(WORKSPACE_ADMIN_ROLE),
                "the new Admin group maps the role the shared permissions' policy checks");
        assertFalse(realmRolesOf("/workspaces/" + ws + "/Editor").contains(WORKSPACE_ADMIN_ROLE), "only the Admin group");
        assertEquals(List.of("keygate:workspace-admins:any"), sharedPolicies("users"));
        assertEquals(List.of("keygate:workspace-admins:any"), sharedPolicies("root"));
        JsonNode any = policy("keygate:workspace-admins:any");
        System.out.println("[keygate-it] console-admin shared policy: " + any);
        assertEquals("role", any.get("type").asText(), "one role check, the same for 10 or 10,000 workspaces");
        Http.expect(204, api.delete("/workspaces/" + ws, keycloak.userToken(creator)));
        assertEquals(List.of(), keygatePolicies(ws), "no dangling policy after deletion");
        assertFalse(realmRolesOf("/workspaces/default/Admin").contains(WORKSPACE_ADMIN_ROLE), "built-in default: PlatformAdmins only");
        assertFalse(realmRolesOf("/workspaces/system/Admin").contains(WORKSPACE_ADMIN_ROLE), "built-in system: PlatformAdmins only");
        assertEquals(List.of(), keygatePolicies("default"), "built-in default: PlatformAdmins only");
        assertEquals(List.of(), keygatePolicies("system"), "built-in system: PlatformAdmins only");
    }

    @Test
    void workspaceMadeInTheConsoleGetsPermissionsToo() {
        String ws = KeycloakServer.unique("console-made");
        String root = group("/workspaces");
        String wsId = created(admin("POST", "/groups/" + root + "/children", master(), Map.of("name", ws)));
        String adminGroup = null;
        for (String role : List.of("Admin", "Editor", "Viewer")) {
            String id = created(admin("POST", "/groups/" + wsId + "/children", master(), Map.of("name", role)));
            adminGroup = "Admin".equals(role) ? id : adminGroup;
        }
        String consoleAdmin = keycloak.newUser("console-made-admin");
        Http.expect(204, admin("PUT", "/users/" + api.userId(master(), consoleAdmin) + "/groups/" + adminGroup, master(), null));
        System.out.println("[keygate-it] console-admin policies of console-made " + ws + ": " + keygatePolicies(ws));
        assertEquals(List.of("admins", "groups", "membership"), keygatePolicies(ws));
        String token = consoleToken(consoleAdmin);
        String viewer = group("/workspaces/" + ws + "/Viewer");
        Http.expect(204, logged("console-made workspace: Admin adds bob as Viewer", admin("PUT", "/users/" + bobId + "/groups/" + viewer, token, null)));
        Http.expect(204, admin("DELETE", "/users/" + bobId + "/groups/" + viewer, token, null));
    }

    private String created(Http.Response response) {
        Http.expect(201, response);
        return response.json().get("id").asText();
    }

    /** Kinds of the keygate policies of {@code ws} in the realm's admin-permissions client, sorted. */
    private List<String> keygatePolicies(String ws) {
        JsonNode clients = Http.expect(200, admin("GET", "/clients?clientId=admin-permissions", master(), null)).json();
        String id = clients.get(0).get("id").asText();
        String prefix = "keygate:workspace:" + ws + ":";
        JsonNode policies = Http.expect(200, admin("GET", "/clients/" + id + "/authz/resource-server/policy?max=-1&name=" + Http.enc(prefix), master(), null)).json();
        List<String> kinds = new ArrayList<>();
        policies.forEach(policy -> {
            String name = policy.get("name").asText();
            if (name.startsWith(prefix)) {
                kinds.add(name.substring(prefix.length()));
            }
        });
        kinds.sort(String::compareTo);
        return kinds;
    }

    /** Names of the policies associated with the shared {@code keygate:workspace-admins:<kind>} permission or aggregate. */
    private String resourceServer() {
        String id = Http.expect(200, admin("GET", "/clients?clientId=admin-permissions", master(), null)).json().get(0).get("id").asText();
        return "/clients/" + id + "/authz/resource-server";
    }

    private JsonNode policy(String name) {
        JsonNode found = Http.expect(200, admin("GET", resourceServer() + "/policy?name=" + Http.enc(name), master(), null)).json();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private List<String> realmRolesOf(String groupPath) {
        JsonNode roles = Http.expect(200, admin("GET", "/groups/" + group(groupPath) + "/role-mappings/realm", master(), null)).json();
        List<String> names = new ArrayList<>();
        roles.forEach(role -> names.add(role.get("name").asText()));
        return names;
    }

    private List<String> sharedPolicies(String kind) {
        String server = resourceServer();
        JsonNode found = policy("keygate:workspace-admins:" + kind);
        JsonNode associated = Http.expect(200, admin("GET", server + "/policy/" + found.get("id").asText() + "/associatedPolicies", master(), null)).json();
        List<String> names = new ArrayList<>();
        associated.forEach(policy -> names.add(policy.get("name").asText()));
        return names;
    }

    private static List<String> usernames(JsonNode users) {
        List<String> names = new ArrayList<>();
        users.forEach(user -> names.add(user.get("username").asText()));
        return names;
    }
}
