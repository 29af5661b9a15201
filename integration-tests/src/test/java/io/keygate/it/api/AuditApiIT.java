package io.keygate.it.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit query API on the real Keycloak with the stored audit trail: a PlatformAdmin sees a
 * failed login (a bad token) and a member change with who made it; a workspace Admin sees only
 * their workspace's entries; a Viewer, and an Admin of another workspace, get 403 {"detail"}.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiIT {

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    String ws;
    String otherWs;
    String owner;
    String viewer;

    @BeforeAll
    void setUp() {
        gateway = new GatewayUnderTest(keycloak, true, false);
        ws = KeycloakServer.unique("audited");
        otherWs = KeycloakServer.unique("elsewhere");
        owner = KeycloakServer.unique("owner") + "@example.com";
        viewer = KeycloakServer.unique("viewer") + "@example.com";
        String otherOwner = KeycloakServer.unique("other") + "@example.com";
        for (String user : List.of(owner, viewer, otherOwner)) {
            keycloak.createUser(user);
        }
        Http.expect(201, gateway.post("/apis/entities/v2/workspaces", keycloak.userToken(owner), Map.of("name", ws)));
        Http.expect(201, gateway.post("/apis/entities/v2/workspaces", keycloak.userToken(otherOwner), Map.of("name", otherWs)));
        Http.expect(201, gateway.post("/apis/entities/v2/workspaces/" + ws + "/members", keycloak.userToken(owner),
                Map.of("principal", viewer, "roles", List.of("Viewer"))));
        Http.expect(201, gateway.post("/apis/models/v2/workspaces/" + otherWs + "/models", keycloak.userToken(otherOwner),
                Map.of("name", "audit-model")));
        Http.expect(401, gateway.get("/apis/entities/v2/workspaces/" + ws + "/members", "eyJhbGciOiJSUzI1NiJ9.e30.bad-signature"));
        awaitStored("/apis/auth/v2/audit?failed_only=true&status=401");
    }

    /** The trail is written once a response is sent: poll (bounded) until the failed login is stored. */
    private void awaitStored(String query) {
        String platformAdmin = keycloak.userToken("admin@example.com");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Http.expect(200, gateway.get(query, platformAdmin)).json().get("pagination").get("total_results").asLong() > 0) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the failed login never reached the audit trail");
    }

    @AfterAll
    void tearDown() {
        gateway.close();
    }

    @Test
    void aPlatformAdminSeesTheFailedLoginAndTheMemberChangeWithPrincipals() {
        String platformAdmin = keycloak.userToken("admin@example.com");
        JsonNode failed = Http.expect(200, gateway.get("/apis/auth/v2/audit?failed_only=true&status=401", platformAdmin)).json();
        JsonNode failedLogin = find(failed.get("data"), e -> e.get("path").asText().equals("/apis/entities/v2/workspaces/" + ws + "/members"));
        assertEquals("unauthenticated", failedLogin.get("outcome").asText());
        assertTrue(failedLogin.get("principal").isNull(), failedLogin.toString());
        assertTrue(!failed.toString().contains("bad-signature"), "no token in the trail");

        JsonNode changes = Http.expect(200, gateway.get("/apis/auth/v2/audit?workspace=" + ws + "&method=POST", platformAdmin)).json();
        JsonNode memberAdded = find(changes.get("data"), e -> e.get("path").asText().endsWith("/workspaces/" + ws + "/members"));
        assertEquals(owner, memberAdded.get("principal").asText());
        assertEquals(201, memberAdded.get("status").asInt());
        assertEquals("keygate", memberAdded.get("issuer").asText());
        JsonNode all = Http.expect(200, gateway.get("/apis/auth/v2/audit?page_size=1000", platformAdmin)).json();
        System.out.println("[keygate-it] audit: platform admin sees " + all.get("pagination").get("total_results").asLong()
                + " entries, " + failed.get("pagination").get("total_results").asLong() + " failed logins, member change by "
                + memberAdded.get("principal").asText());
    }

    @Test
    void aWorkspaceAdminSeesOnlyTheirWorkspace() {
        String ownerToken = keycloak.userToken(owner);
        JsonNode page = Http.expect(200, gateway.get("/apis/entities/v2/workspaces/" + ws + "/audit", ownerToken)).json();
        List<String> workspaces = new ArrayList<>();
        page.get("data").forEach(e -> workspaces.add(e.get("workspace").asText()));
        assertTrue(!workspaces.isEmpty(), page.toString());
        workspaces.forEach(w -> assertEquals(ws, w, page.toString()));
        find(page.get("data"), e -> e.get("path").asText().endsWith("/members") && e.get("principal").asText().equals(owner));
        assertDetail(403, gateway.get("/apis/entities/v2/workspaces/" + otherWs + "/audit", ownerToken));
        assertDetail(403, gateway.get("/apis/auth/v2/audit", ownerToken));
        System.out.println("[keygate-it] audit: workspace admin sees " + workspaces.size() + " entries, all of " + ws);
    }

    @Test
    void aViewerIsRefused() {
        String viewerToken = keycloak.userToken(viewer);
        assertDetail(403, gateway.get("/apis/entities/v2/workspaces/" + ws + "/audit", viewerToken));
        assertDetail(403, gateway.get("/apis/auth/v2/audit", viewerToken));
        assertDetail(422, gateway.get("/apis/auth/v2/audit?status=abc", keycloak.userToken("admin@example.com")));
    }

    private static void assertDetail(int status, Http.Response response) {
        Http.expect(status, response);
        assertTrue(response.json().get("detail").isTextual(), response.toString());
    }

    private static JsonNode find(JsonNode data, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode entry : data) {
            if (test.test(entry)) {
                return entry;
            }
        }
        throw new AssertionError("no such entry in " + data);
    }
}
