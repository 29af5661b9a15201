package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Membership data in the extension's own table (issue 9): legacy group attributes migrate into
 * binding rows, member lists page in the database, and a grant made through the admin REST API
 * (the console) names the admin who made it.
 */
@RealKeycloak
class MembershipStoreIT {

    KeycloakServer keycloak;

    /**
     * A realm imported through the admin REST API with today's (pre-issue-9) attribute layout: the
     * import fires the realm-created event, which runs the same migration as start-up. (Restarting
     * the shared Keycloak would cost minutes and every other test's state; the realm import reaches
     * the migration through Keycloak's own event with the attributes written by Keycloak itself.)
     */
    @Test
    void legacyGrantAttributesMigrateToRowsWithTheSameGrantAndAreRemoved() {
        Http http = new Http();
        String realm = KeycloakServer.unique("legacy");
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String carol = UUID.randomUUID().toString();
        Map<String, Object> workspace = new LinkedHashMap<>();
        workspace.put("name", "legacy-ws");
        workspace.put("attributes", Map.of(
                "keygate.id", List.of(UUID.randomUUID().toString()),
                "keygate.created_at", List.of("2024-01-01T00:00:00.001Z"), "keygate.created_by", List.of("alice@example.com"),
                "keygate.updated_at", List.of("2024-01-01T00:00:00.001Z"), "keygate.updated_by", List.of("alice@example.com"),
                "keygate.wildcard_role", List.of("Viewer"),
                "keygate.wildcard_grant", List.of("2024-01-05T05:05:05.005Z|alice@example.com"),
                "keygate.pending_email", List.of("dan@example.com"),
                "keygate.pending.dan@example.com", List.of("Editor,Viewer|2024-02-03T04:05:06.789Z|alice@example.com")));
        workspace.put("subGroups", List.of(
                Map.of("name", "Admin", "attributes", Map.of("keygate.grant." + alice, List.of("2024-01-01T00:00:00.001Z|setup"))),
                Map.of("name", "Editor", "attributes", Map.of("keygate.grant." + bob, List.of("2024-03-01T10:00:00.000Z|alice@example.com"))),
                Map.of("name", "Viewer", "attributes", Map.of("keygate.grant." + bob, List.of("2024-02-15T12:30:00.250Z|ops@example.com")))));
        Map<String, Object> representation = Map.of(
                "realm", realm, "enabled", true,
                "eventsEnabled", true, "eventsListeners", List.of("jboss-logging", "keygate-events"), "adminEventsEnabled", true,
                "clients", List.of(Map.of("clientId", "cli", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", false,
                        // The extension's API takes only tokens minted for keygate (issue 14).
                        "protocolMappers", List.of(Map.of("name", "keygate-api audience", "protocol", "openid-connect",
                                "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.custom.audience",
                                        KeycloakServer.AUDIENCE, "access.token.claim", "true", "id.token.claim", "false"))))),
                "groups", List.of(Map.of("name", "workspaces", "subGroups", List.of(workspace))),
                "users", List.of(
                        user(alice, "alice@example.com", "/workspaces/legacy-ws/Admin"),
                        user(bob, "bob@example.com", "/workspaces/legacy-ws/Editor", "/workspaces/legacy-ws/Viewer"),
                        user(carol, "carol@example.com", "/workspaces/legacy-ws/Viewer")));
        Http.expect(201, http.post(keycloak.baseUrl() + "/admin/realms", keycloak.adminToken(), representation));

        String token = tokenOf(http, realm, "alice@example.com");
        JsonNode listed = http.get(keycloak.realmUrl(realm) + "/keygate/workspaces/legacy-ws/members", token).json();
        System.out.println("[keygate-it] migrated member list " + listed);
        Map<String, JsonNode> members = byPrincipal(listed);
        assertEquals(5, listed.get("pagination").get("total_results").asInt(), listed.toString());
        assertGrant(members.get("*"), List.of("Viewer"), "2024-01-05T05:05:05.005Z", "alice@example.com");
        assertGrant(members.get("alice@example.com"), List.of("Admin"), "2024-01-01T00:00:00.001Z", "setup");
        assertGrant(members.get("bob@example.com"), List.of("Viewer", "Editor"), "2024-02-15T12:30:00.250Z", "ops@example.com");
        assertGrant(members.get("carol@example.com"), List.of("Viewer"), "2024-01-01T00:00:00.001Z", "keycloak-admin");
        assertGrant(members.get("dan@example.com"), List.of("Viewer", "Editor"), "2024-02-03T04:05:06.789Z", "alice@example.com");
        assertTrue(members.get("dan@example.com").path("pending").asBoolean());

        String admin = keycloak.adminToken();
        String adminApi = keycloak.baseUrl() + "/admin/realms/" + realm;
        List<String> left = new ArrayList<>();
        for (String path : List.of("", "/Admin", "/Editor", "/Viewer")) {
            JsonNode group = http.get(adminApi + "/group-by-path/workspaces/legacy-ws" + path, admin).json();
            group.path("attributes").fieldNames().forEachRemaining(name -> {
                if (name.startsWith("keygate.grant.") || name.startsWith("keygate.pending") || name.equals("keygate.wildcard_grant")) {
                    left.add(path + " " + name);
                }
            });
        }
        System.out.println("[keygate-it] legacy attributes left after migration: " + left);
        assertEquals(List.of(), left);

        Http.Response created = http.post(keycloak.baseUrl() + "/admin/realms/" + realm + "/users", admin, Map.of(
                "username", "dan@example.com", "email", "dan@example.com", "emailVerified", true, "enabled", true,
                "firstName", "Dan", "lastName", "User"));
        Http.expect(201, created);
        JsonNode dan = byPrincipal(http.get(keycloak.realmUrl(realm) + "/keygate/workspaces/legacy-ws/members", token).json())
                .get("dan@example.com");
        System.out.println("[keygate-it] migrated pending grant after dan's account exists: " + dan);
        assertGrant(dan, List.of("Viewer", "Editor"), "2024-02-03T04:05:06.789Z", "alice@example.com");
        assertFalse(dan.path("pending").asBoolean(), "the pending grant became a membership");
        Http.expect(204, http.delete(keycloak.baseUrl() + "/admin/realms/" + realm, admin));
    }

    @Test
    void memberListsPageInTheDatabaseInBothOrders() {
        KeygateApi api = new KeygateApi(keycloak);
        String owner = api.newUser("pager");
        String ownerToken = keycloak.userToken(owner);
        String ws = KeycloakServer.unique("paged");
        api.createWorkspace(ownerToken, ws);
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String member = api.newUser("m" + i);
            api.addMember(ownerToken, ws, member, i % 2 == 0 ? "Viewer" : "Editor");
            added.add(member);
        }
        api.addMember(ownerToken, ws, added.get(0), "Editor");
        api.addMember(ownerToken, ws, "*", "Viewer");
        api.addMember(ownerToken, ws, "zz-" + KeycloakServer.unique("later") + "@example.com", "Viewer");

        List<String> byName = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode body = api.get("/workspaces/" + ws + "/members?page_size=3&page=" + page, ownerToken).json();
            assertEquals(8, body.get("pagination").get("total_results").asInt(), body.toString());
            assertEquals(3, body.get("pagination").get("total_pages").asInt());
            body.get("data").forEach(member -> byName.add(member.get("principal").asText()));
        }
        System.out.println("[keygate-it] members by principal, 3 pages of 3: " + byName);
        assertEquals("*", byName.get(0));
        List<String> sorted = new ArrayList<>(byName.subList(1, byName.size()));
        sorted.sort(null);
        assertEquals(sorted, byName.subList(1, byName.size()), "principals after * in name order");
        assertEquals(8, byName.size());

        JsonNode newest = api.get("/workspaces/" + ws + "/members?page_size=2&sort=-created_at", ownerToken).json();
        JsonNode oldest = api.get("/workspaces/" + ws + "/members?page_size=2&sort=created_at", ownerToken).json();
        System.out.println("[keygate-it] newest grants " + newest.get("data") + "; oldest " + oldest.get("data"));
        assertTrue(newest.get("data").get(0).get("principal").asText().startsWith("zz-"), newest.toString());
        assertEquals(owner, oldest.get("data").get(0).get("principal").asText());
        JsonNode first = byPrincipal(api.get("/workspaces/" + ws + "/members?page_size=100", ownerToken).json()).get(added.get(0));
        assertEquals(List.of("Viewer", "Editor"), roles(first), "roles of one principal merge into one row");

        KeygateApi.expect(204, api.delete("/workspaces/" + ws + "/members/" + added.get(1), ownerToken));
        JsonNode after = api.get("/workspaces/" + ws + "/members?page_size=100", ownerToken).json();
        assertEquals(7, after.get("pagination").get("total_results").asInt());
        assertFalse(byPrincipal(after).containsKey(added.get(1)));
    }

    /** A realm user with realm-management rights adds bob through Keycloak's admin REST API: granted_by names that admin. */
    @Test
    void consoleGrantRecordsTheAdminWhoMadeIt() {
        KeygateApi api = new KeygateApi(keycloak);
        Http http = new Http();
        String owner = api.newUser("owner");
        String ownerToken = keycloak.userToken(owner);
        String ws = KeycloakServer.unique("console");
        api.createWorkspace(ownerToken, ws);
        String master = keycloak.adminToken();
        String realmAdmin = api.newUser("realm-admin");
        String realmAdminId = api.userId(master, realmAdmin);
        JsonNode management = http.get(keycloak.adminApi() + "/clients?clientId=realm-management", master).json().get(0);
        JsonNode realmAdminRole = http.get(keycloak.adminApi() + "/clients/" + management.get("id").asText() + "/roles/realm-admin", master).json();
        Http.expect(204, http.post(keycloak.adminApi() + "/users/" + realmAdminId + "/role-mappings/clients/" + management.get("id").asText(),
                master, List.of(realmAdminRole)));

        String bob = api.newUser("bob");
        String adminToken = keycloak.userToken(realmAdmin);
        KeygateApi.expect(204, api.adminJoin(adminToken, api.userId(master, bob), api.groupId(master, "/workspaces/" + ws + "/Editor")));

        JsonNode listed = byPrincipal(api.get("/workspaces/" + ws + "/members?page_size=100", ownerToken).json()).get(bob);
        System.out.println("[keygate-it] console grant by realm admin " + realmAdmin + " lists as " + listed);
        assertEquals(List.of("Editor"), roles(listed));
        assertEquals(realmAdmin, listed.get("granted_by").asText());
    }

    /** The mapper caches the realm's wildcard map: a wildcard set, edited in the console or removed reaches the next token. */
    @Test
    void wildcardChangesReachTheNextTokenThroughTheCache() {
        KeygateApi api = new KeygateApi(keycloak);
        Http http = new Http();
        String owner = api.newUser("wild");
        String ownerToken = keycloak.userToken(owner);
        String stranger = api.newUser("stranger");
        String ws = KeycloakServer.unique("wild");
        api.createWorkspace(ownerToken, ws);
        assertFalse(KeygateApi.claims(keycloak.userToken(stranger)).path("workspaces").has(ws));

        api.addMember(ownerToken, ws, "*", "Editor");
        assertEquals("Editor", KeygateApi.claims(keycloak.userToken(stranger)).path("workspaces").path(ws).asText());

        String master = keycloak.adminToken();
        String groupUrl = keycloak.adminApi() + "/groups/" + http.get(keycloak.adminApi() + "/group-by-path/workspaces/" + ws, master).json()
                .get("id").asText();
        String versionBefore = wildcardVersion(http, master);
        ObjectNode unrelated = http.get(groupUrl, master).json().deepCopy();
        ((ObjectNode) unrelated.get("attributes")).putArray("team-note").add("owned by research");
        Http.expect(204, http.put(groupUrl, master, unrelated));
        assertEquals(versionBefore, wildcardVersion(http, master), "a console edit of another attribute leaves the realm's wildcard version alone");

        ObjectNode edited = http.get(groupUrl, master).json().deepCopy();
        ((ObjectNode) edited.get("attributes")).putArray("keygate.wildcard_role").add("Viewer");
        Http.expect(204, http.put(groupUrl, master, edited));
        assertNotEquals(versionBefore, wildcardVersion(http, master), "a console edit of the wildcard role invalidates it");
        String afterConsole = KeygateApi.claims(keycloak.userToken(stranger)).path("workspaces").path(ws).asText();
        System.out.println("[keygate-it] wildcard after console edit Editor -> Viewer: next token says " + afterConsole);
        assertEquals("Viewer", afterConsole);

        KeygateApi.expect(204, api.delete("/workspaces/" + ws + "/members/*", ownerToken));
        assertFalse(KeygateApi.claims(keycloak.userToken(stranger)).path("workspaces").has(ws), "a removed wildcard stops working");
    }

    /** The realm attribute every node's wildcard cache is tagged with ({@code WildcardCache.VERSION_ATTRIBUTE}). */
    private String wildcardVersion(Http http, String master) {
        return Http.expect(200, http.get(keycloak.adminApi(), master)).json().path("attributes").path("keygate.wildcard.version").asText();
    }

    private static Map<String, Object> user(String id, String email, String... groups) {
        return Map.of("id", id, "username", email, "email", email, "emailVerified", true, "enabled", true,
                "firstName", "Test", "lastName", "User", "groups", List.of(groups),
                "credentials", List.of(Map.of("type", "password", "value", KeycloakServer.DEV_PASSWORD, "temporary", false)));
    }

    private String tokenOf(Http http, String realm, String username) {
        Http.Response response = http.postForm(keycloak.realmUrl(realm) + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "cli", "username", username, "password", KeycloakServer.DEV_PASSWORD));
        Http.expect(200, response);
        return response.json().get("access_token").asText();
    }

    private static Map<String, JsonNode> byPrincipal(JsonNode page) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        page.get("data").forEach(member -> members.put(member.get("principal").asText(), member));
        return members;
    }

    private static List<String> roles(JsonNode member) {
        List<String> roles = new ArrayList<>();
        member.get("roles").forEach(role -> roles.add(role.asText()));
        return roles;
    }

    private static void assertGrant(JsonNode member, List<String> roles, String grantedAt, String grantedBy) {
        assertEquals(roles, roles(member), String.valueOf(member));
        assertEquals(grantedAt, member.get("granted_at").asText(), String.valueOf(member));
        assertEquals(grantedBy, member.get("granted_by").asText(), String.valueOf(member));
    }
}
