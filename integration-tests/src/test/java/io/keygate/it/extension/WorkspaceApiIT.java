package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The extension's REST API contract (workspaces, members, errors) against a real Keycloak. */
@RealKeycloak
class WorkspaceApiIT {

    private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    KeycloakServer keycloak;
    KeygateApi api;
    String owner;
    String ownerToken;
    String workspace;

    @BeforeEach
    void setUp() {
        api = new KeygateApi(keycloak);
        owner = api.newUser("owner");
        ownerToken = keycloak.userToken(owner);
        workspace = KeycloakServer.unique("ws");
    }

    @Test
    void callerWithoutAValidTokenGets401() {
        Http.Response none = api.get("/workspaces", null);
        Http.Response garbage = api.get("/workspaces", "not-a-token");
        System.out.println("[api] no token -> " + none + " " + none.header("WWW-Authenticate") + "; garbage -> " + garbage);

        for (Http.Response response : List.of(none, garbage)) {
            assertEquals(401, response.status());
            assertTrue(response.json().has("detail"));
            assertTrue(response.header("WWW-Authenticate").startsWith("Bearer"));
        }
    }

    @Test
    void workspaceLifecycle() {
        JsonNode created = api.createWorkspace(ownerToken, workspace);
        System.out.println("[api] created " + created);
        assertEquals(workspace, created.get("name").asText());
        assertEquals(owner, created.get("created_by").asText());
        assertTrue(created.get("created_at").asText().matches(ISO_UTC), created.toString());
        assertNotNull(created.get("id").asText());

        Http.Response read = api.get("/workspaces/" + workspace, ownerToken);
        KeygateApi.expect(200, read);
        assertEquals(created.get("id"), read.json().get("id"));

        Http.Response updated = api.put("/workspaces/" + workspace, ownerToken, Map.of("description", "new words"));
        KeygateApi.expect(200, updated);
        assertEquals("new words", updated.json().get("description").asText());
        assertEquals(owner, updated.json().get("updated_by").asText());

        JsonNode members = api.get("/workspaces/" + workspace + "/members", ownerToken).json();
        assertEquals(owner, members.get("data").get(0).get("principal").asText());
        assertEquals("Admin", members.get("data").get(0).get("roles").get(0).asText());

        KeygateApi.expect(204, api.delete("/workspaces/" + workspace, ownerToken));
        KeygateApi.expect(404, api.get("/workspaces/" + workspace, ownerToken));
        assertFalse(KeygateApi.claims(keycloak.userToken(owner)).get("workspaces").has(workspace));
    }

    @Test
    void invisibleWorkspaceIs403AndMissingIs404AndListsShowOnlyVisibleOnes() {
        api.createWorkspace(ownerToken, workspace);
        String stranger = keycloak.userToken("charlie@example.com");

        Http.Response invisible = api.get("/workspaces/" + workspace, stranger);
        Http.Response missing = api.get("/workspaces/" + workspace + "-nope", stranger);
        System.out.println("[api] invisible -> " + invisible + "; missing -> " + missing);
        assertEquals(403, invisible.status());
        assertEquals(404, missing.status());
        assertFalse(names(api.get("/workspaces?page_size=1000", stranger).json()).contains(workspace));

        List<String> ownerSees = names(api.get("/workspaces?page_size=1000", ownerToken).json());
        assertTrue(ownerSees.containsAll(List.of(workspace, "default", "system")), ownerSees.toString());
        List<String> platformAdminSees = allNames(keycloak.userToken("admin@example.com"));
        assertTrue(platformAdminSees.contains(workspace), "PlatformAdmin sees every workspace");
    }

    @Test
    void listsArePaginatedAndSorted() {
        int before = api.get("/workspaces", ownerToken).json().get("pagination").get("total_results").asInt();
        api.createWorkspace(ownerToken, workspace + "-a");
        api.createWorkspace(ownerToken, workspace + "-b");
        api.createWorkspace(ownerToken, workspace + "-c");
        JsonNode membersByGrant = api.get("/workspaces/" + workspace + "-a/members?sort=-created_at", ownerToken).json();
        assertEquals("-created_at", membersByGrant.get("sort").asText());
        assertEquals(422, api.get("/workspaces/" + workspace + "-a/members?page_size=5000", ownerToken).status());

        JsonNode first = api.get("/workspaces?page=1&page_size=2&sort=-created_at", ownerToken).json();
        JsonNode second = api.get("/workspaces?page=2&page_size=2&sort=-created_at", ownerToken).json();
        System.out.println("[api] page 1 " + first + "\n[api] page 2 " + second);

        assertEquals(List.of(workspace + "-c", workspace + "-b"), names(first));
        assertEquals(workspace + "-a", names(second).get(0));
        JsonNode pagination = first.get("pagination");
        assertEquals(1, pagination.get("page").asInt());
        assertEquals(2, pagination.get("page_size").asInt());
        assertEquals(2, pagination.get("current_page_size").asInt());
        assertEquals(before + 3, pagination.get("total_results").asInt());
        assertEquals((before + 3 + 1) / 2, pagination.get("total_pages").asInt());
        assertEquals("-created_at", first.get("sort").asText());

        JsonNode oldest = api.get("/workspaces?page_size=1000&sort=created_at", ownerToken).json();
        List<String> ascending = names(oldest);
        assertEquals(List.of(workspace + "-a", workspace + "-b", workspace + "-c"), ascending.subList(ascending.size() - 3, ascending.size()));
        JsonNode newest = api.get("/workspaces?page_size=1", ownerToken).json();
        assertEquals(workspace + "-c", names(newest).get(0), "default sort is -created_at");

        for (String bad : List.of("page=0", "page=x", "page_size=0", "page_size=1001", "sort=name")) {
            Http.Response response = api.get("/workspaces?" + bad, ownerToken);
            assertEquals(422, response.status(), bad + " -> " + response);
            assertTrue(response.json().has("detail"));
        }
    }

    @Test
    void membersAreAddedMergedReplacedAndRemoved() {
        api.createWorkspace(ownerToken, workspace);
        String bob = api.newUser("bob");

        JsonNode added = api.addMember(ownerToken, workspace, bob, "Viewer");
        assertEquals(List.of("Viewer"), roles(added));
        assertEquals(owner, added.get("granted_by").asText());
        assertTrue(added.get("granted_at").asText().matches(ISO_UTC));
        JsonNode merged = api.addMember(ownerToken, workspace, bob, "Editor");
        assertEquals(List.of("Viewer", "Editor"), roles(merged), "POST merges roles");

        Http.Response replaced = api.put("/workspaces/" + workspace + "/members/" + bob, ownerToken, Map.of("roles", List.of("Admin")));
        KeygateApi.expect(200, replaced);
        assertEquals(List.of("Admin"), roles(replaced.json()), "PUT replaces roles");
        assertEquals("Admin", KeygateApi.claims(keycloak.userToken(bob)).path("workspaces").path(workspace).asText());

        KeygateApi.expect(204, api.delete("/workspaces/" + workspace + "/members/" + bob, ownerToken));
        KeygateApi.expect(404, api.put("/workspaces/" + workspace + "/members/" + bob, ownerToken, Map.of("roles", List.of("Viewer"))));
        KeygateApi.expect(404, api.delete("/workspaces/" + workspace + "/members/" + bob, ownerToken));
        assertFalse(KeygateApi.claims(keycloak.userToken(bob)).path("workspaces").has(workspace));
    }

    @Test
    void onlyAdminsChangeMembers() {
        api.createWorkspace(ownerToken, workspace);
        String editor = api.newUser("editor");
        api.addMember(ownerToken, workspace, editor, "Editor");
        String editorToken = keycloak.userToken(editor);

        Http.Response refused = api.post("/workspaces/" + workspace + "/members", editorToken,
                Map.of("principal", "bob@example.com", "roles", List.of("Viewer")));
        System.out.println("[api] Editor adds a member -> " + refused);
        assertEquals(403, refused.status());
        KeygateApi.expect(200, api.get("/workspaces/" + workspace + "/members", editorToken));
        assertEquals(403, api.delete("/workspaces/" + workspace, editorToken).status());
        assertEquals(403, api.put("/workspaces/" + workspace, editorToken, Map.of("description", "x")).status());
    }

    @Test
    void badBodiesAndUnknownPrincipalsGetClearErrors() {
        api.createWorkspace(ownerToken, workspace);
        String members = "/workspaces/" + workspace + "/members";
        Map<String, Http.Response> responses = new java.util.LinkedHashMap<>();
        responses.put("not json", api.post(members, ownerToken, "{not json"));
        responses.put("array body", api.post(members, ownerToken, "[1]"));
        responses.put("empty roles", api.post(members, ownerToken, Map.of("principal", "bob@example.com", "roles", List.of())));
        responses.put("unknown role", api.post(members, ownerToken, Map.of("principal", "bob@example.com", "roles", List.of("Owner"))));
        responses.put("wrong case role", api.post(members, ownerToken, Map.of("principal", "bob@example.com", "roles", List.of("admin"))));
        responses.put("roles not a list", api.post(members, ownerToken, Map.of("principal", "bob@example.com", "roles", "Admin")));
        responses.put("empty principal", api.post(members, ownerToken, Map.of("principal", " ", "roles", List.of("Viewer"))));
        responses.put("principal not a string", api.post(members, ownerToken, Map.of("principal", 7, "roles", List.of("Viewer"))));
        responses.put("wildcard Admin", api.post(members, ownerToken, Map.of("principal", "*", "roles", List.of("Admin"))));
        responses.put("unknown username", api.post(members, ownerToken, Map.of("principal", "no-such-user", "roles", List.of("Viewer"))));
        responses.put("workspace name missing", api.post("/workspaces", ownerToken, Map.of("description", "x")));
        responses.put("empty body", api.post("/workspaces", ownerToken, ""));
        responses.put("replace without roles", api.put(members + "/bob@example.com", ownerToken, Map.of()));

        Map<String, Integer> expected = Map.ofEntries(Map.entry("not json", 400), Map.entry("array body", 422),
                Map.entry("empty roles", 422), Map.entry("unknown role", 422),
                Map.entry("wrong case role", 422), Map.entry("roles not a list", 422), Map.entry("principal not a string", 422),
                Map.entry("empty principal", 422),
                Map.entry("wildcard Admin", 422), Map.entry("unknown username", 404),
                Map.entry("workspace name missing", 422), Map.entry("empty body", 400),
                Map.entry("replace without roles", 422));
        responses.forEach((name, response) -> {
            System.out.println("[api] " + name + " -> " + response);
            assertEquals(expected.get(name), response.status(), name + ": " + response);
            assertFalse(response.json().get("detail").asText().isBlank(), name);
        });
        assertTrue(responses.get("unknown username").json().get("detail").asText().contains("no-such-user"));
    }

    @Test
    void aMemberAddedWithoutRolesIsAnEditorAsInNemoPlatformsSchema() {
        api.createWorkspace(ownerToken, workspace);
        Http.Response added = Http.expect(201, api.post("/workspaces/" + workspace + "/members", ownerToken,
                Map.of("principal", "bob@example.com")));
        assertEquals(List.of("Editor"), roles(added.json()));
    }

    @Test
    void wildcardBindingIsListedAndRemovable() {
        api.createWorkspace(ownerToken, workspace);
        api.addMember(ownerToken, workspace, "*", "Viewer");
        JsonNode upgraded = api.addMember(ownerToken, workspace, "*", "Editor");
        assertEquals(List.of("Editor"), roles(upgraded));

        JsonNode listed = api.get("/workspaces/" + workspace + "/members", ownerToken).json().get("data");
        assertEquals("*", listed.get(0).get("principal").asText());
        String stranger = keycloak.userToken("charlie@example.com");
        KeygateApi.expect(200, api.get("/workspaces/" + workspace, stranger));

        KeygateApi.expect(204, api.delete("/workspaces/" + workspace + "/members/*", ownerToken));
        assertEquals(403, api.get("/workspaces/" + workspace, stranger).status());
    }

    @Test
    void pendingGrantBecomesMembershipWhenTheUserIsCreated() {
        api.createWorkspace(ownerToken, workspace);
        String email = KeycloakServer.unique("newcomer") + "@example.com";

        JsonNode pending = api.addMember(ownerToken, workspace, email, "Editor");
        System.out.println("[pending] grant to unknown email -> " + pending);
        assertTrue(pending.path("pending").asBoolean());
        JsonNode listed = member(workspace, email);
        assertTrue(listed.path("pending").asBoolean(), listed.toString());

        keycloak.createUser(email);
        JsonNode resolved = member(workspace, email);
        System.out.println("[pending] after admin CREATE USER -> " + resolved);
        assertFalse(resolved.has("pending"), resolved.toString());
        assertEquals(List.of("Editor"), roles(resolved));
        assertEquals(owner, resolved.get("granted_by").asText());
        assertEquals("Editor", KeygateApi.claims(keycloak.userToken(email)).path("workspaces").path(workspace).asText());
    }

    @Test
    void pendingGrantResolvesAtLoginWhenAnExistingUserTakesTheEmail() {
        api.createWorkspace(ownerToken, workspace);
        String existing = api.newUser("renamed");
        String email = KeycloakServer.unique("later") + "@example.com";
        api.addMember(ownerToken, workspace, email, "Viewer");
        String admin = keycloak.adminToken();
        String userId = api.userId(admin, existing);
        KeygateApi.expect(204, api.http.put(keycloak.adminApi() + "/users/" + userId, admin, Map.of(
                "email", email, "emailVerified", true, "firstName", "Test", "lastName", "User")));
        assertTrue(member(workspace, email).path("pending").asBoolean(), "an email change alone resolves nothing");

        // The realm uses the email as username, so the user now signs in with the new email.
        JsonNode claims = KeygateApi.claims(keycloak.userToken(email));
        JsonNode resolved = member(workspace, email);
        System.out.println("[pending] after LOGIN of the user who now has the email -> " + resolved);
        assertFalse(resolved.has("pending"), resolved.toString());
        assertEquals(userId, claims.path("sub").asText());
        assertEquals("Viewer", KeygateApi.claims(keycloak.userToken(email)).path("workspaces").path(workspace).asText());
    }

    @Test
    void pendingGrantCanBeRemoved() {
        api.createWorkspace(ownerToken, workspace);
        String email = KeycloakServer.unique("never") + "@example.com";
        api.addMember(ownerToken, workspace, email, "Viewer");

        KeygateApi.expect(204, api.delete("/workspaces/" + workspace + "/members/" + email, ownerToken));
        keycloak.createUser(email);
        assertFalse(KeygateApi.claims(keycloak.userToken(email)).path("workspaces").has(workspace));
    }

    @Test
    void consoleMadeMembershipListsWithGrantMetadata() {
        api.createWorkspace(ownerToken, workspace);
        String viewer = api.newUser("console");
        String admin = keycloak.adminToken();
        KeygateApi.expect(204, api.adminJoin(admin, api.userId(admin, viewer), api.groupId(admin, "/workspaces/" + workspace + "/Viewer")));

        JsonNode listed = member(workspace, viewer);
        System.out.println("[api] membership made in the admin console lists as " + listed);
        assertEquals(List.of("Viewer"), roles(listed));
        assertEquals("admin", listed.get("granted_by").asText(), "the master admin who made the grant");
        assertTrue(listed.get("granted_at").asText().matches(ISO_UTC));
    }

    @Test
    void deletionStageHidesTheWorkspaceButKeepsTheName() {
        api.createWorkspace(ownerToken, workspace);
        Http.Response staged = api.put("/workspaces/" + workspace + "/deletion-stage", ownerToken, Map.of("stage", "pending"));
        KeygateApi.expect(200, staged);
        assertEquals("pending", staged.json().get("deletion_stage").asText());

        assertEquals(404, api.get("/workspaces/" + workspace, ownerToken).status());
        assertFalse(names(api.get("/workspaces?page_size=1000", ownerToken).json()).contains(workspace));
        assertFalse(KeygateApi.claims(keycloak.userToken(owner)).path("workspaces").has(workspace));
        assertEquals(409, api.post("/workspaces", ownerToken, Map.of("name", workspace)).status(), "name stays taken");
        Http.Response platformAdminView = api.get("/workspaces/" + workspace, keycloak.userToken("admin@example.com"));
        assertEquals("pending", platformAdminView.json().get("deletion_stage").asText());
        assertEquals(422, api.put("/workspaces/" + workspace + "/deletion-stage", ownerToken, Map.of("stage", "gone")).status());

        KeygateApi.expect(200, api.put("/workspaces/" + workspace + "/deletion-stage", ownerToken, Map.of("stage", "failed")));
        KeygateApi.expect(204, api.delete("/workspaces/" + workspace, ownerToken));
        KeygateApi.expect(201, api.post("/workspaces", ownerToken, Map.of("name", workspace)));
    }

    @Test
    void builtInsAreProtected() {
        String platformAdmin = keycloak.userToken("admin@example.com");
        String user = keycloak.userToken("bob@example.com");

        assertEquals(409, api.delete("/workspaces/default", platformAdmin).status());
        assertEquals(409, api.delete("/workspaces/system", platformAdmin).status());
        assertEquals(403, api.put("/workspaces/system", user, Map.of("description", "mine")).status());
        assertEquals(403, api.delete("/workspaces/default", user).status());
        assertEquals(409, api.delete("/workspaces/default/members/*", platformAdmin).status());
        KeygateApi.expect(200, api.put("/workspaces/system", platformAdmin, Map.of("description", "platform resources")));
        KeygateApi.expect(200, api.get("/workspaces/system", user));
    }

    @Test
    void changesEmitKeycloakAdminEvents() {
        api.createWorkspace(ownerToken, workspace);
        String bob = api.newUser("evented");
        api.addMember(ownerToken, workspace, bob, "Editor");
        String admin = keycloak.adminToken();
        String groupId = api.groupId(admin, "/workspaces/" + workspace);
        String editorGroupId = api.groupId(admin, "/workspaces/" + workspace + "/Editor");

        JsonNode events = api.http.get(keycloak.adminApi() + "/admin-events?max=500&resourceTypes=GROUP&resourceTypes=GROUP_MEMBERSHIP", admin).json();
        List<String> seen = new ArrayList<>();
        for (JsonNode event : events) {
            String path = event.path("resourcePath").asText();
            if (path.equals("groups/" + groupId) || path.endsWith("/groups/" + editorGroupId)) {
                seen.add(event.path("operationType").asText() + " " + event.path("resourceType").asText() + " " + path);
            }
        }
        System.out.println("[events] " + seen);
        assertTrue(seen.contains("CREATE GROUP groups/" + groupId), seen.toString());
        assertTrue(seen.stream().anyMatch(e -> e.startsWith("CREATE GROUP_MEMBERSHIP users/")), seen.toString());
    }

    @Test
    void principalLookupIsForPlatformAdminsIncludingTheGatewayServiceAccount() {
        api.createWorkspace(ownerToken, workspace);
        Http.Response byGateway = api.get("/principals/" + owner + "/workspaces", keycloak.gatewayToken());
        System.out.println("[api] gateway looks up " + owner + " -> " + byGateway);
        KeygateApi.expect(200, byGateway);
        assertEquals("Admin", byGateway.json().path("workspaces").path(workspace).asText());
        assertFalse(byGateway.json().path("platform_admin").asBoolean(true), byGateway.toString());
        assertTrue(api.get("/principals/admin@example.com/workspaces", keycloak.gatewayToken()).json().path("platform_admin").asBoolean());
        assertEquals(403, api.get("/principals/" + owner + "/workspaces", keycloak.userToken("bob@example.com")).status());
        assertEquals(404, api.get("/principals/nobody-here/workspaces", keycloak.gatewayToken()).status());
    }

    private JsonNode member(String workspace, String principal) {
        JsonNode data = api.get("/workspaces/" + workspace + "/members", ownerToken).json().get("data");
        for (JsonNode member : data) {
            if (member.get("principal").asText().equals(principal)) {
                return member;
            }
        }
        throw new AssertionError(principal + " not listed in " + data);
    }

    private List<String> allNames(String token) {
        List<String> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = api.get("/workspaces?page_size=1000&page=" + page, token).json();
            all.addAll(names(body));
            if (page >= body.get("pagination").get("total_pages").asInt()) {
                return all;
            }
        }
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("data").forEach(workspace -> names.add(workspace.get("name").asText()));
        return names;
    }

    private static List<String> roles(JsonNode member) {
        List<String> roles = new ArrayList<>();
        member.get("roles").forEach(role -> roles.add(role.asText()));
        return roles;
    }
}
