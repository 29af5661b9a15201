package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.core.iam.RoleBindings;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10: NeMo Platform's IAM role-bindings API and {@code wait_role_propagation}, against the
 * real Keycloak and the real gateway receiving the realm's security events. Requests are sent as
 * NeMo Platform's SDK sends them ({@code client.iam.role_bindings.*}: deep-object
 * {@code filter[...]} with comma-joined arrays, {@code page}, {@code page_size}, {@code sort},
 * {@code wait_role_propagation} in the query), responses checked field by field against its
 * {@code RoleBinding}, page and {@code DeleteResponse} shapes.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleBindingsIT {

    private static final String WORKSPACES = "/apis/entities/v2/workspaces";
    private static final String BINDINGS = RoleBindings.PATH;
    /** NeMo Platform's RoleBinding fields, plus keygate's {@code revoked_by}. */
    private static final Set<String> BINDING_FIELDS = new TreeSet<>(List.of(
            "id", "name", "principal", "workspace", "role", "granted_by", "granted_at", "revoked_at", "revoked_by"));

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    final Http http = new Http();
    String platformAdmin;
    String platformAdminToken;

    @BeforeAll
    void start() {
        gateway = GatewayUnderTest.receiving(keycloak, FreshnessIT.tempDir(), KeycloakServer.unique("it-iam"), FreshnessIT.EVENTS);
        assertEquals("live", gateway.freshness.states().get("keygate"), gateway.freshness.states().toString());
        platformAdmin = keycloak.newUser("iam-padmin");
        String role = expect(200, http.get(keycloak.adminApi() + "/roles/platform-admin", keycloak.adminToken())).body();
        expect(204, http.post(keycloak.adminApi() + "/users/" + userId(platformAdmin) + "/role-mappings/realm", keycloak.adminToken(), "[" + role + "]"));
        platformAdminToken = keycloak.userToken(platformAdmin);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void historyShowsRevokedAndActiveBindingsFromTheApiAndAdminRest() {
        Instant before = Instant.now();
        String owner = keycloak.newUser("iam-owner");
        String ownerToken = keycloak.userToken(owner);
        String ws = KeycloakServer.unique("iam-hist");
        expect(201, gateway.post(WORKSPACES, ownerToken, Map.of("name", ws)));
        String viewer = keycloak.newUser("iam-viewer");
        String editor = keycloak.newUser("iam-editor");
        String admin = keycloak.newUser("iam-admin");
        String pending = KeycloakServer.unique("iam-pending") + "@example.com";
        String members = WORKSPACES + "/" + ws + "/members";
        expect(201, gateway.post(members, ownerToken, Map.of("principal", viewer, "roles", List.of("Viewer"))));
        String editorGroup = groupId(ws, "Editor");
        expect(204, http.send(Http.request(keycloak.adminApi() + "/users/" + userId(editor) + "/groups/" + editorGroup, keycloak.adminToken())
                .PUT(HttpRequest.BodyPublishers.noBody())));
        expect(201, gateway.post(members, ownerToken, Map.of("principal", admin, "roles", List.of("Admin"))));
        expect(201, gateway.post(members, ownerToken, Map.of("principal", pending, "roles", List.of("Viewer"))));
        expect(200, gateway.put(members + "/" + viewer, ownerToken, Map.of("roles", List.of("Editor"))));
        expect(204, http.delete(keycloak.adminApi() + "/users/" + userId(editor) + "/groups/" + editorGroup, keycloak.adminToken()));
        String created = KeycloakServer.unique("iam-created") + "@example.com";
        expect(201, http.post(keycloak.adminApi() + "/users", keycloak.adminToken(), Map.of("username", created, "email", created,
                "enabled", true, "groups", List.of("/workspaces/" + ws + "/Viewer"))));

        Http.Response listed = expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws + "&page=1&page_size=100&sort=created_at",
                platformAdminToken));
        JsonNode page = listed.json();
        List<JsonNode> rows = list(page.get("data"));
        System.out.println("[keygate-it] iam history of " + ws + ": " + rows.size() + " bindings");
        assertEquals(Set.of("data", "pagination", "sort", "filter"), fields(page));
        JsonNode pagination = page.get("pagination");
        assertEquals(1, pagination.get("page").asInt());
        assertEquals(100, pagination.get("page_size").asInt());
        assertEquals(7, pagination.get("current_page_size").asInt(), rows.toString());
        assertEquals(1, pagination.get("total_pages").asInt());
        assertEquals(7, pagination.get("total_results").asInt());
        assertEquals("created_at", page.get("sort").asText());
        assertEquals(ws, page.get("filter").get("workspace").asText());
        rows.forEach(row -> assertBindingShape(row, ws));

        JsonNode ownerAdmin = only(rows, owner, "Admin");
        assertNull(text(ownerAdmin, "revoked_at"));
        JsonNode viewerViewer = only(rows, viewer, "Viewer");
        assertNotNull(text(viewerViewer, "revoked_at"), "the promotion revoked the Viewer binding");
        assertEquals(owner, text(viewerViewer, "granted_by"));
        assertEquals(owner, text(viewerViewer, "revoked_by"));
        JsonNode viewerEditor = only(rows, viewer, "Editor");
        assertNull(text(viewerEditor, "revoked_at"), "the promotion's Editor binding is active");
        assertFalse(Instant.parse(text(viewerEditor, "granted_at")).isBefore(Instant.parse(text(viewerViewer, "granted_at"))));
        JsonNode editorEditor = only(rows, editor, "Editor");
        assertNotNull(text(editorEditor, "revoked_at"), "the admin-REST group leave revoked the editor's binding");
        assertEquals("admin", text(editorEditor, "granted_by"), "an admin-REST join records the admin who made it");
        assertEquals("admin", text(editorEditor, "revoked_by"));
        assertTrue(rows.stream().filter(row -> editor.equals(text(row, "principal"))).allMatch(row -> text(row, "revoked_at") != null));
        assertNull(text(only(rows, admin, "Admin"), "revoked_at"));
        assertNull(text(only(rows, pending, "Viewer"), "revoked_at"), "a pending grant to an unknown principal is a binding too");
        JsonNode createdWithGroup = only(rows, created, "Viewer");
        assertNull(text(createdWithGroup, "revoked_at"), "a user created by admin REST with a workspace group has its binding");
        assertEquals("admin", text(createdWithGroup, "granted_by"));

        // the SDK's filters: principal + is_active, $in with comma-joined values, granted_by, date ranges
        JsonNode revokedOfViewer = expect(200, gateway.get(BINDINGS + "?filter%5Bprincipal%5D=" + Http.enc(viewer)
                + "&filter%5Bis_active%5D=false", platformAdminToken)).json();
        assertEquals(1, revokedOfViewer.get("pagination").get("total_results").asInt(), revokedOfViewer.toString());
        assertEquals("Viewer", revokedOfViewer.get("data").get(0).get("role").asText());
        assertEquals(false, revokedOfViewer.get("filter").get("is_active").asBoolean(true));
        JsonNode activeEditors = expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws
                + "&filter%5Brole%5D%5B%24in%5D=Editor%2CViewer&filter%5Bis_active%5D=true", platformAdminToken)).json();
        assertEquals(Set.of(viewer + ":Editor", pending + ":Viewer", created + ":Viewer"), principalRoles(activeEditors));
        JsonNode byAdminRest = expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws + "&filter%5Bgranted_by%5D=admin",
                platformAdminToken)).json();
        assertEquals(Set.of(editor + ":Editor", created + ":Viewer"), principalRoles(byAdminRest));
        JsonNode revokedSince = expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws + "&filter%5Brevoked_at%5D%5Bgte%5D="
                + Http.enc(before.toString()), platformAdminToken)).json();
        assertEquals(Set.of(viewer + ":Viewer", editor + ":Editor"), principalRoles(revokedSince));
        JsonNode grantedBefore = expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws + "&filter%5Bgranted_at%5D%5Blte%5D="
                + Http.enc(before.minusSeconds(3600).toString().replace("Z", "+00:00")), platformAdminToken)).json();
        assertEquals(0, grantedBefore.get("pagination").get("total_results").asInt());

        // pagination and descending sort, paged in the database
        JsonNode second = expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws + "&page=2&page_size=4&sort=-created_at",
                platformAdminToken)).json();
        assertEquals(2, second.get("pagination").get("page").asInt());
        assertEquals(4, second.get("pagination").get("page_size").asInt());
        assertEquals(3, second.get("pagination").get("current_page_size").asInt());
        assertEquals(2, second.get("pagination").get("total_pages").asInt());
        assertEquals(7, second.get("pagination").get("total_results").asInt());
        List<JsonNode> descending = new ArrayList<>(rows);
        descending.sort((a, b) -> Instant.parse(text(b, "granted_at")).compareTo(Instant.parse(text(a, "granted_at"))));
        assertEquals(text(descending.get(6), "granted_at"), text(second.get("data").get(2), "granted_at"));

        // get by name: the same binding; unknown names 404
        JsonNode fetched = expect(200, gateway.get(BINDINGS + "/" + text(viewerViewer, "name"), platformAdminToken)).json();
        assertEquals(viewerViewer, fetched);
        assertDetail(404, gateway.get(BINDINGS + "/" + RoleBindings.nameOf("00000000-0000-0000-0000-000000000000"), platformAdminToken));
        assertDetail(404, gateway.get(BINDINGS + "/not-a-binding", platformAdminToken));

        // the user of the pending grant appears: the pending binding is revoked, the user's is active
        keycloak.createUser(pending);
        List<JsonNode> after = list(expect(200, gateway.get(BINDINGS + "?filter%5Bprincipal%5D=" + Http.enc(pending)
                + "&filter%5Bworkspace%5D=" + ws + "&sort=created_at", platformAdminToken)).json().get("data"));
        assertEquals(2, after.size(), after.toString());
        // the user's binding keeps the pending grant's granted_at|by, so the two rows tie on created_at
        assertEquals(1, after.stream().filter(row -> text(row, "revoked_at") != null).count(), after.toString());
        assertEquals(1, after.stream().filter(row -> text(row, "revoked_at") == null).count(), after.toString());
        assertEquals(text(after.get(0), "granted_at"), text(after.get(1), "granted_at"));

        // PlatformAdmin only: a workspace Admin is refused every operation
        assertDetail(403, gateway.get(BINDINGS, ownerToken));
        assertDetail(403, gateway.get(BINDINGS + "/" + text(viewerViewer, "name"), ownerToken));
        assertDetail(403, gateway.post(BINDINGS, ownerToken, Map.of("principal", viewer, "workspace", ws, "role", "Admin")));
        assertDetail(403, gateway.delete(BINDINGS + "/" + text(viewerEditor, "name"), ownerToken));
        assertEquals(7 + 1, total(BINDINGS + "?filter%5Bworkspace%5D=" + ws), "the refused calls changed nothing");
    }

    @Test
    void createGetDeleteAsTheSdkSendsThem() {
        Workspace ws = workspace();
        String member = keycloak.newUser("iam-crud");
        Http.Response created = expect(200, gateway.post(BINDINGS + "?wait_role_propagation=false", platformAdminToken,
                Map.of("principal", member, "role", "Viewer", "workspace", ws.name)));
        JsonNode binding = created.json();
        assertBindingShape(binding, ws.name);
        assertEquals(member, text(binding, "principal"));
        assertEquals("Viewer", text(binding, "role"));
        assertEquals(platformAdmin, text(binding, "granted_by"));
        assertNull(text(binding, "revoked_at"));
        assertEquals(RoleBindings.NOT_WAITED, created.header(RoleBindings.PROPAGATION_HEADER));
        JsonNode asMember = expect(200, gateway.get(ws.members(), ws.ownerToken)).json();
        assertTrue(asMember.toString().contains(member), "the binding is a membership in Keycloak: " + asMember);

        assertDetail(409, gateway.post(BINDINGS + "?wait_role_propagation=false", platformAdminToken,
                Map.of("principal", member, "role", "Viewer", "workspace", ws.name)));
        assertEquals(binding, expect(200, gateway.get(BINDINGS + "/" + text(binding, "name"), platformAdminToken)).json());

        Http.Response deleted = expect(200, gateway.delete(BINDINGS + "/" + text(binding, "name") + "?wait_role_propagation=false",
                platformAdminToken));
        JsonNode deleteResponse = deleted.json();
        assertEquals(Set.of("id", "deleted_at"), fields(deleteResponse));
        assertEquals(text(binding, "id"), text(deleteResponse, "id"));
        Instant.parse(text(deleteResponse, "deleted_at"));
        JsonNode revoked = expect(200, gateway.get(BINDINGS + "/" + text(binding, "name"), platformAdminToken)).json();
        assertEquals(text(deleteResponse, "deleted_at"), text(revoked, "revoked_at"));
        assertEquals(platformAdmin, text(revoked, "revoked_by"));
        assertDetail(409, gateway.delete(BINDINGS + "/" + text(binding, "name"), platformAdminToken));
        assertFalse(expect(200, gateway.get(ws.members(), ws.ownerToken)).body().contains(member), "revoking removed the membership");

        // a binding without workspace is NeMo Platform's platform-level one: workspace "system"
        JsonNode system = expect(200, gateway.post(BINDINGS + "?wait_role_propagation=false", platformAdminToken,
                Map.of("principal", member, "role", "Viewer"))).json();
        assertEquals("system", text(system, "workspace"));
        expect(200, gateway.delete(BINDINGS + "/" + text(system, "name") + "?wait_role_propagation=false", platformAdminToken));

        // revoking the last Admin's binding is the member API's 409, and changes nothing
        String ownerAdmin = text(list(expect(200, gateway.get(BINDINGS + "?filter%5Bworkspace%5D=" + ws.name + "&filter%5Brole%5D=Admin",
                platformAdminToken)).json().get("data")).get(0), "name");
        assertDetail(409, gateway.delete(BINDINGS + "/" + ownerAdmin, platformAdminToken));
        assertNull(text(expect(200, gateway.get(BINDINGS + "/" + ownerAdmin, platformAdminToken)).json(), "revoked_at"));
    }

    @Test
    void badInputIsRefusedWithDetailAndChangesNothing() {
        Workspace ws = workspace();
        String member = keycloak.newUser("iam-bad");
        String filterWs = BINDINGS + "?filter%5Bworkspace%5D=" + ws.name;
        int before = total(filterWs);
        assertDetail(422, gateway.post(BINDINGS, platformAdminToken, Map.of("principal", member, "role", "Owner", "workspace", ws.name)));
        assertDetail(422, gateway.post(BINDINGS, platformAdminToken, Map.of("principal", member, "role", "admin", "workspace", ws.name)));
        assertDetail(422, gateway.post(BINDINGS, platformAdminToken, Map.of("role", "Viewer", "workspace", ws.name)));
        assertDetail(422, gateway.post(BINDINGS + "?wait_role_propagation=maybe", platformAdminToken,
                Map.of("principal", member, "role", "Viewer", "workspace", ws.name)));
        assertDetail(422, gateway.post(BINDINGS, platformAdminToken, Map.of("principal", "*", "role", "Admin", "workspace", ws.name)));
        assertDetail(404, gateway.post(BINDINGS, platformAdminToken, Map.of("principal", member, "role", "Viewer", "workspace", "no-such-ws")));
        assertDetail(422, gateway.post(ws.members() + "?wait_role_propagation=yes-please", ws.ownerToken,
                Map.of("principal", member, "roles", List.of("Viewer"))));
        assertEquals(before, total(filterWs), "no refused write left a binding");
        assertFalse(expect(200, gateway.get(ws.members(), ws.ownerToken)).body().contains(member));

        assertDetail(422, gateway.get(BINDINGS + "?filter%5Bis_active%5D=perhaps", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?filter%5Bgranted_at%5D%5Bgte%5D=yesterday", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?filter%5Bcolour%5D=blue", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?filter%5Brole%5D%5B%24regex%5D=.*", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?page_size=0", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?page_size=1001", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?page_size=ten", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?page=0", platformAdminToken));
        assertDetail(422, gateway.get(BINDINGS + "?sort=password", platformAdminToken));
        JsonNode defaults = expect(200, gateway.get(BINDINGS, platformAdminToken)).json();
        assertEquals(10, defaults.get("pagination").get("page_size").asInt(), "NeMo Platform's default page size");
        assertEquals("created_at", defaults.get("sort").asText());
        assertTrue(defaults.get("filter").isNull());
    }

    @Test
    void waitRolePropagationMakesTheOldTokenSeeTheChangeOnTheNextRequest() {
        Workspace ws = workspace();
        String member = keycloak.newUser("iam-wait");
        expect(201, gateway.post(ws.members(), ws.ownerToken, Map.of("principal", member, "roles", List.of("Viewer"))));
        String oldToken = keycloak.userToken(member);
        String projects = WORKSPACES + "/" + ws.name + "/projects";
        assertDetail(403, gateway.post(projects, oldToken, Map.of("name", KeycloakServer.unique("no"))));

        Http.Response promoted = timed("member PUT Viewer->Editor",
                () -> gateway.put(ws.members() + "/" + member, ws.ownerToken, Map.of("roles", List.of("Editor"))));
        expect(200, promoted);
        assertEquals(RoleBindings.CONFIRMED, promoted.header(RoleBindings.PROPAGATION_HEADER));
        expect(201, gateway.post(projects, oldToken, Map.of("name", KeycloakServer.unique("yes"))));

        Http.Response granted = timed("role-binding create Admin", () -> gateway.post(BINDINGS, platformAdminToken,
                Map.of("principal", member, "role", "Admin", "workspace", ws.name)));
        expect(200, granted);
        assertEquals(RoleBindings.CONFIRMED, granted.header(RoleBindings.PROPAGATION_HEADER));
        expect(200, gateway.put(WORKSPACES + "/" + ws.name, oldToken, Map.of("description", "set by the promoted member")));

        Http.Response revoked = timed("role-binding delete Admin",
                () -> gateway.delete(BINDINGS + "/" + text(granted.json(), "name"), platformAdminToken));
        expect(200, revoked);
        assertEquals(RoleBindings.CONFIRMED, revoked.header(RoleBindings.PROPAGATION_HEADER));
        assertDetail(403, gateway.put(WORKSPACES + "/" + ws.name, oldToken, Map.of("description", "no longer Admin")));

        Http.Response removed = timed("member DELETE", () -> gateway.delete(ws.members() + "/" + member, ws.ownerToken));
        expect(200, removed);
        assertEquals(RoleBindings.CONFIRMED, removed.header(RoleBindings.PROPAGATION_HEADER));
        assertDetail(403, gateway.get(projects, oldToken));

        Http.Response quick = expect(201, gateway.post(ws.members() + "?wait_role_propagation=false", ws.ownerToken,
                Map.of("principal", member, "roles", List.of("Viewer"))));
        assertEquals(RoleBindings.NOT_WAITED, quick.header(RoleBindings.PROPAGATION_HEADER));
        Http.Response pending = expect(201, gateway.post(ws.members(), ws.ownerToken,
                Map.of("principal", KeycloakServer.unique("nobody") + "@example.com", "roles", List.of("Viewer"))));
        assertEquals(RoleBindings.NOT_WAITED, pending.header(RoleBindings.PROPAGATION_HEADER), "a pending grant has no subject to wait for");
    }

    // ---- helpers

    record Workspace(String name, String owner, String ownerToken) {
        String members() {
            return WORKSPACES + "/" + name + "/members";
        }
    }

    private Workspace workspace() {
        String owner = keycloak.newUser("iam-ws-owner");
        String token = keycloak.userToken(owner);
        String name = KeycloakServer.unique("iam-ws");
        expect(201, gateway.post(WORKSPACES, token, Map.of("name", name)));
        return new Workspace(name, owner, token);
    }

    private Http.Response timed(String what, java.util.function.Supplier<Http.Response> write) {
        long start = System.nanoTime();
        Http.Response response = write.get();
        System.out.printf("[keygate-iam] %s with wait_role_propagation (default): answered in %d ms, %s%n", what,
                (System.nanoTime() - start) / 1_000_000, response.header(RoleBindings.PROPAGATION_HEADER));
        return response;
    }

    private int total(String path) {
        return expect(200, gateway.get(path, platformAdminToken)).json().get("pagination").get("total_results").asInt();
    }

    private static void assertBindingShape(JsonNode row, String workspace) {
        assertEquals(BINDING_FIELDS, fields(row), row.toString());
        assertEquals(RoleBindings.nameOf(text(row, "id")), text(row, "name"));
        assertEquals(workspace, text(row, "workspace"));
        assertTrue(Set.of("Viewer", "Editor", "Admin").contains(text(row, "role")), row.toString());
        assertFalse(text(row, "granted_by").isEmpty());
        Instant.parse(text(row, "granted_at"));
        if (text(row, "revoked_at") != null) {
            Instant.parse(text(row, "revoked_at"));
            assertNotNull(text(row, "revoked_by"));
        } else {
            assertTrue(row.get("revoked_at").isNull() && row.get("revoked_by").isNull(), row.toString());
        }
    }

    private static void assertDetail(int status, Http.Response response) {
        expect(status, response);
        assertTrue(response.json().path("detail").isTextual(), response.toString());
    }

    private static JsonNode only(List<JsonNode> rows, String principal, String role) {
        List<JsonNode> matching = rows.stream()
                .filter(row -> principal.equals(text(row, "principal")) && role.equals(text(row, "role"))).toList();
        assertEquals(1, matching.size(), principal + " " + role + " in " + rows);
        return matching.get(0);
    }

    private static Set<String> principalRoles(JsonNode page) {
        Set<String> out = new TreeSet<>();
        page.get("data").forEach(row -> out.add(text(row, "principal") + ":" + text(row, "role")));
        return out;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private String groupId(String workspace, String role) {
        return expect(200, http.get(keycloak.adminApi() + "/group-by-path/workspaces/" + workspace + "/" + role, keycloak.adminToken()))
                .json().get("id").asText();
    }

    private String userId(String email) {
        return expect(200, http.get(keycloak.adminApi() + "/users?exact=true&email=" + Http.enc(email), keycloak.adminToken()))
                .json().get(0).get("id").asText();
    }
}
