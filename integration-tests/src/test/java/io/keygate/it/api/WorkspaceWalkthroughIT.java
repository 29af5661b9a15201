package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.gateway.workspaces.CleanupRepository;
import io.keygate.gateway.workspaces.CleanupStage;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seeds 001 and 003 end to end over HTTP: the gateway in-process on a free port, the real
 * Keycloak with the extension behind it, real tokens minted for each step (a token carries the
 * memberships of the moment it was issued).
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceWalkthroughIT {

    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    String owner;
    String alice;
    String bob;
    String charlie;
    String dave;

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak);
        owner = keycloak.newUser("owner");
        alice = keycloak.newUser("alice");
        bob = keycloak.newUser("bob");
        charlie = keycloak.newUser("charlie");
        dave = keycloak.newUser("dave");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private String token(String user) {
        return keycloak.userToken(user);
    }

    @Test
    void seed001ManagingAccessFromCreationToDeletion() {
        String ws = KeycloakServer.unique("ml-team");
        String members = WORKSPACES + "/" + ws + "/members";

        JsonNode created = expect(201, gateway.post(WORKSPACES, token(owner),
                Map.of("name", ws, "description", "Machine learning team workspace"))).json();
        System.out.println("[walkthrough] created: " + created);
        assertEquals(ws, created.get("name").asText());
        assertEquals(owner, created.get("created_by").asText());
        assertEquals(List.of("Admin"), roles(memberOf(ws, owner)), "the creator is Admin");

        for (String[] grant : new String[][] {{alice, "Editor"}, {bob, "Viewer"}, {charlie, "Admin"}}) {
            JsonNode member = expect(201, gateway.post(members, token(owner),
                    Map.of("principal", grant[0], "roles", List.of(grant[1])))).json();
            assertEquals(grant[0], member.get("principal").asText());
            assertEquals(List.of(grant[1]), roles(member));
            assertEquals(owner, member.get("granted_by").asText());
            Instant.parse(member.get("granted_at").asText());
        }

        JsonNode list = expect(200, gateway.get(members, token(alice))).json();
        System.out.println("[walkthrough] members: " + list);
        assertEquals(4, list.get("pagination").get("total_results").asInt());
        for (JsonNode member : list.get("data")) {
            assertTrue(member.get("granted_at").asText().endsWith("Z"), member.toString());
            assertFalse(member.get("granted_by").asText().isEmpty(), member.toString());
        }
        assertEquals(List.of("Viewer"), roles(memberOf(ws, bob)));

        JsonNode promoted = expect(200, gateway.put(members + "/" + bob, token(owner), Map.of("roles", List.of("Editor")))).json();
        assertEquals(List.of("Editor"), roles(promoted));
        assertEquals(List.of("Editor"), roles(memberOf(ws, bob)));

        expect(403, gateway.get(WORKSPACES + "/" + ws, token(dave)));
        expect(201, gateway.post(members, token(owner), Map.of("principal", "*", "roles", List.of("Viewer"))));
        Http.Response wildcardRead = gateway.get(WORKSPACES + "/" + ws, token(dave));
        assertEquals(200, wildcardRead.status(), "* Viewer: every user reads it: " + wildcardRead);
        expect(403, gateway.post(WORKSPACES + "/" + ws + "/projects", token(dave), Map.of("name", "by-dave")));
        expect(200, gateway.put(members + "/*", token(owner), Map.of("roles", List.of("Editor"))));
        expect(201, gateway.post(WORKSPACES + "/" + ws + "/projects", token(dave), Map.of("name", "by-dave")));
        expect(200, gateway.delete(WORKSPACES + "/" + ws + "/projects/by-dave", token(dave)));
        expect(200, gateway.delete(members + "/*", token(owner)));
        assertTrue(memberOrNull(ws, "*") == null, "wildcard removed");
        expect(403, gateway.get(WORKSPACES + "/" + ws, token(dave)));

        expect(200, gateway.delete(members + "/" + charlie, token(owner)));
        Http.Response demoteLast = expect(409, gateway.put(members + "/" + owner, token(owner), Map.of("roles", List.of("Viewer"))));
        Http.Response removeLast = expect(409, gateway.delete(members + "/" + owner, token(owner)));
        System.out.println("[walkthrough] last admin: " + demoteLast + " / " + removeLast);
        assertTrue(demoteLast.json().get("detail").asText().toLowerCase().contains("admin"));

        expect(201, gateway.post(WORKSPACES + "/" + ws + "/projects", token(alice), Map.of("name", "my-project")));
        for (String set : List.of("train-data", "eval-data")) {
            expect(201, gateway.post("/apis/files/v2/workspaces/" + ws + "/filesets", token(alice), Map.of("name", set)));
        }
        Http.Response refused = expect(409, gateway.delete(WORKSPACES + "/" + ws, token(owner)));
        System.out.println("[walkthrough] delete while not empty: " + refused);
        assertEquals("Cannot delete workspace '" + ws + "': workspace contains entities that must be deleted first: "
                + "project (1), dataset (2)", refused.json().get("detail").asText());

        expect(200, gateway.delete(WORKSPACES + "/" + ws + "/projects/my-project", token(alice)));
        expect(200, gateway.delete("/apis/files/v2/workspaces/" + ws + "/filesets/train-data", token(alice)));
        expect(200, gateway.delete("/apis/files/v2/workspaces/" + ws + "/filesets/eval-data", token(alice)));
        JsonNode deleted = expect(200, gateway.delete(WORKSPACES + "/" + ws, token(owner))).json();
        System.out.println("[walkthrough] deleted: " + deleted);
        assertEquals(created.get("id").asText(), deleted.get("id").asText());
        expect(404, gateway.get(WORKSPACES + "/" + ws, keycloak.userToken("admin@example.com")));
    }

    @Test
    void seed003CascadeDeletionIsAsynchronousInvisibleAndKeepsTheNameTaken() throws Exception {
        String ws = KeycloakServer.unique("cascade");
        expect(201, gateway.post(WORKSPACES, token(owner), Map.of("name", ws)));
        expect(201, gateway.post(WORKSPACES + "/" + ws + "/members", token(owner),
                Map.of("principal", alice, "roles", List.of("Editor"))));
        for (int i = 0; i < 3; i++) {
            expect(201, gateway.post(WORKSPACES + "/" + ws + "/projects", token(alice), Map.of("name", "p-" + i)));
        }
        expect(201, gateway.post("/apis/jobs/v2/workspaces/" + ws + "/jobs", token(alice), Map.of("name", "train")));

        String aliceTokenFromBefore = token(alice);
        JsonNode accepted;
        Http.Response taken;
        var paused = gateway.api.cleaner().orElseThrow().pause();
        try {
            accepted = expect(202, gateway.delete(WORKSPACES + "/" + ws + "?cascade=true", token(owner))).json();
            System.out.println("[cascade] accepted: " + accepted);
            assertEquals("pending", accepted.get("deletion_stage").asText());
            assertFalse(GatewayUnderTest.names(expect(200, gateway.get(WORKSPACES + "?page_size=1000", token(alice))).json())
                    .contains(ws), "invisible in lists during cleanup");
            Http.Response get = gateway.get(WORKSPACES + "/" + ws, token(alice));
            assertTrue(get.status() == 403 || get.status() == 404, "invisible during cleanup: " + get);
            taken = expect(409, gateway.post(WORKSPACES, token(dave), Map.of("name", ws)));
            System.out.println("[cascade] during cleanup: get " + get + "; create again " + taken);
            assertEquals(4, gateway.api.resources().countByKind(ws).values().stream().mapToLong(Long::longValue).sum(),
                    "nothing deleted while pending");
            expect(404, gateway.post(WORKSPACES + "/" + ws + "/projects", aliceTokenFromBefore, Map.of("name", "late")));
        } finally {
            paused.close();
        }
        assertTrue(gateway.api.cleaner().orElseThrow().awaitIdle(60, TimeUnit.SECONDS));
        String platformAdmin = keycloak.userToken("admin@example.com");
        expect(404, gateway.get(WORKSPACES + "/" + ws, platformAdmin));
        assertTrue(gateway.api.resources().countByKind(ws).isEmpty(), "its resources are gone");
        expect(201, gateway.post(WORKSPACES, token(dave), Map.of("name", ws)));
        System.out.println("[cascade] gone: 404 for a PlatformAdmin, no resources left, the name is free again");
    }

    @Test
    void theWorkspacesOwnAdminRetriesAFailedCleanup() throws InterruptedException {
        String ws = KeycloakServer.unique("retry");
        String projects = WORKSPACES + "/" + ws + "/projects";
        expect(201, gateway.post(WORKSPACES, token(owner), Map.of("name", ws)));
        expect(201, gateway.post(WORKSPACES + "/" + ws + "/members", token(owner), Map.of("principal", alice, "roles", List.of("Editor"))));
        expect(201, gateway.post(projects, token(alice), Map.of("name", "kept-by-the-failure")));
        // A cleanup that failed, recorded as the cleaner records it: stage failed in Keycloak and in the store.
        expect(200, new Http().put(keycloak.keygateApi() + "/workspaces/" + ws + "/deletion-stage", token(owner),
                Map.of("stage", "failed")));
        CleanupRepository cleanups = new CleanupRepository(gateway.api.database());
        cleanups.begin(ws, owner);
        cleanups.setStage(ws, CleanupStage.failed, "Keycloak refused the delete (staged by the test)");

        Http.Response byEditor = gateway.delete(WORKSPACES + "/" + ws, token(alice));
        Http.Response byAdmin = gateway.delete(WORKSPACES + "/" + ws, token(owner));
        System.out.println("[retry] failed cleanup: DELETE by its Editor " + byEditor + "; by its Admin " + byAdmin);

        expect(403, byEditor);
        assertEquals("pending", expect(202, byAdmin).json().get("deletion_stage").asText());
        assertTrue(gateway.api.cleaner().orElseThrow().awaitIdle(60, TimeUnit.SECONDS));
        expect(404, gateway.get(WORKSPACES + "/" + ws, keycloak.userToken("admin@example.com")));
        assertTrue(gateway.api.resources().countByKind(ws).isEmpty(), "the retry deleted its resources");
        assertTrue(cleanups.find(ws).isEmpty(), "and finished the cleanup");
    }

    private JsonNode memberOf(String ws, String principal) {
        JsonNode member = memberOrNull(ws, principal);
        assertTrue(member != null, principal + " is a member of " + ws);
        return member;
    }

    private JsonNode memberOrNull(String ws, String principal) {
        JsonNode page = expect(200, gateway.get(WORKSPACES + "/" + ws + "/members?page_size=1000",
                keycloak.userToken("admin@example.com"))).json();
        Map<String, JsonNode> byPrincipal = new HashMap<>();
        page.get("data").forEach(member -> byPrincipal.put(member.get("principal").asText(), member));
        return byPrincipal.get(principal);
    }

    private static List<String> roles(JsonNode member) {
        List<String> roles = new java.util.ArrayList<>();
        member.get("roles").forEach(role -> roles.add(role.asText()));
        return roles;
    }
}
