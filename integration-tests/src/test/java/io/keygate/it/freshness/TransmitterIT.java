package io.keygate.it.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.core.events.SecurityEvents;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The freshness transmitter (issue 8) against the real Keycloak, seen by an RFC 8936 receiver with
 * the gateway client's token: each change yields a signed SET with the subject's current claims,
 * delivered to a waiting long-poll; the time from the change's HTTP acknowledgement to the SET's
 * arrival is printed.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransmitterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    KeycloakServer keycloak;
    final Http http = new Http();
    SsfPoller poller;

    @BeforeAll
    void openStream() {
        poller = new SsfPoller(keycloak);
        poller.drain();
    }

    @Test
    void metadataAndStreamConfigurationFollowTheContract() {
        JsonNode meta = poller.metadata;
        assertEquals("1_0", meta.get("spec_version").asText());
        assertEquals(keycloak.issuer(), meta.get("issuer").asText());
        assertEquals(keycloak.issuer() + "/protocol/openid-connect/certs", meta.get("jwks_uri").asText());
        assertEquals(SecurityEvents.DELIVERY_POLL, meta.get("delivery_methods_supported").get(0).asText());
        assertEquals("urn:ietf:rfc:6749", meta.get("authorization_schemes").get(0).get("spec_urn").asText());
        assertEquals("ALL", meta.get("default_subjects").asText());

        JsonNode stream = poller.stream;
        assertEquals(keycloak.issuer(), stream.get("iss").asText());
        assertEquals(KeycloakServer.GATEWAY_CLIENT, stream.get("aud").asText());
        assertEquals(SecurityEvents.DELIVERY_POLL, stream.get("delivery").get("method").asText());
        assertTrue(stream.get("events_delivered").toString().contains(SecurityEvents.TOKEN_CLAIMS_CHANGE));
        assertTrue(stream.get("keygate_next_seq").asLong() >= 1);

        String config = meta.get("configuration_endpoint").asText();
        String id = stream.get("stream_id").asText();
        JsonNode read = Http.expect(200, http.get(config + "?stream_id=" + id, keycloak.gatewayToken())).json();
        assertEquals(id, read.get("stream_id").asText());
        assertEquals(poller.pollUrl(), read.get("delivery").get("endpoint_url").asText());

        assertDetail(404, http.get(config + "?stream_id=no-such-stream", keycloak.gatewayToken()));
        assertDetail(401, http.get(config + "?stream_id=" + id, null));
        assertDetail(401, http.post(poller.pollUrl(), "not-a-token", Map.of()));
        String userToken = keycloak.userToken(keycloak.newUser("not-a-receiver"));
        assertDetail(403, http.get(config + "?stream_id=" + id, userToken));
        assertDetail(403, http.post(poller.pollUrl(), userToken, Map.of("returnImmediately", true)));
        assertDetail(400, http.post(poller.pollUrl(), keycloak.gatewayToken(), Map.of("maxEvents", "ten")));
        assertDetail(400, http.post(poller.pollUrl(), keycloak.gatewayToken(), Map.of("ack", "jti")));
        assertDetail(400, http.post(config, keycloak.gatewayToken(), Map.of("delivery", Map.of("method", SecurityEvents.DELIVERY_PUSH))));

        JsonNode other = Http.expect(201, http.post(config, keycloak.gatewayToken(), Map.of("description", "to delete"))).json();
        String otherId = other.get("stream_id").asText();
        Http.expect(204, http.delete(config + "?stream_id=" + otherId, keycloak.gatewayToken()));
        assertDetail(404, http.get(config + "?stream_id=" + otherId, keycloak.gatewayToken()));
    }

    @Test
    void apiMemberAddRoleChangeAndRemovalEachArriveAsTokenClaimsChange() {
        String owner = keycloak.newUser("ssf-owner");
        String ownerToken = keycloak.userToken(owner);
        String member = keycloak.newUser("ssf-member");
        String memberId = userId(member);
        String workspace = KeycloakServer.unique("ssf-ws");
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));

        SsfPoller.Set added = measured("API member add", claimsOf(memberId, ws -> "Editor".equals(ws.path(workspace).asText())),
                () -> http.post(keycloak.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                        Map.of("principal", member, "roles", List.of("Editor"))), 201);
        assertSubjectIsIssSub(added, memberId);
        JsonNode claims = added.event().get("claims");
        assertEquals("Editor", claims.get("workspaces").get("default").asText(), "built-in workspaces are in the claim too: " + claims);
        assertTrue(claims.get("orgs").isObject(), "orgs claim present: " + claims);
        assertTrue(claims.get("realm_access").get("roles").isArray(), "realm roles present: " + claims);
        assertTrue(added.event().get("event_timestamp").isNumber());

        measured("API demotion Editor->Viewer", claimsOf(memberId, ws -> "Viewer".equals(ws.path(workspace).asText())),
                () -> http.put(keycloak.keygateApi() + "/workspaces/" + workspace + "/members/" + Http.enc(member), ownerToken,
                        Map.of("roles", List.of("Viewer"))), 200);

        measured("API member removal", claimsOf(memberId, ws -> ws.get(workspace) == null),
                () -> http.delete(keycloak.keygateApi() + "/workspaces/" + workspace + "/members/" + Http.enc(member), ownerToken), 204);
    }

    @Test
    void refusedLastAdminRemovalEmitsNothing() {
        String owner = keycloak.newUser("ssf-last-admin");
        String ownerId = userId(owner);
        String ownerToken = keycloak.userToken(owner);
        String workspace = KeycloakServer.unique("ssf-last");
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
        poller.await(claimsOf(ownerId, ws -> "Admin".equals(ws.path(workspace).asText())), WAIT);
        poller.drain();

        Http.expect(409, http.delete(keycloak.keygateApi() + "/workspaces/" + workspace + "/members/" + Http.enc(owner), ownerToken));
        String marker = keycloak.newUser("ssf-marker");
        String markerId = userId(marker);
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                Map.of("principal", marker, "roles", List.of("Viewer"))));
        poller.await(claimsOf(markerId, ws -> "Viewer".equals(ws.path(workspace).asText())), WAIT);

        List<SsfPoller.Set> before = poller.receivedSoFar();
        assertFalse(before.stream().anyMatch(set -> subjectUser(set).equals(ownerId)),
                "the refused removal emitted a SET for the owner: " + before);
        System.out.println("[keygate-it] freshness refused last-Admin removal (409): no SET for the owner among "
                + before.size() + " SETs up to the marker");
    }

    @Test
    void adminRestGroupLeaveArrivesAsTokenClaimsChange() {
        String owner = keycloak.newUser("ssf-console-owner");
        String member = keycloak.newUser("ssf-console-member");
        String memberId = userId(member);
        String workspace = KeycloakServer.unique("ssf-console");
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces", keycloak.userToken(owner), Map.of("name", workspace)));
        String editors = groupId("/workspaces/" + workspace + "/Editor");
        measured("admin-REST group join", claimsOf(memberId, ws -> "Editor".equals(ws.path(workspace).asText())),
                () -> http.send(Http.request(keycloak.adminApi() + "/users/" + memberId + "/groups/" + editors, keycloak.adminToken())
                        .PUT(HttpRequest.BodyPublishers.noBody())), 204);
        measured("admin-REST group leave", claimsOf(memberId, ws -> ws.get(workspace) == null),
                () -> http.delete(keycloak.adminApi() + "/users/" + memberId + "/groups/" + editors, keycloak.adminToken()), 204);
    }

    @Test
    void wildcardSetAndRemovedArriveAsWorkspaceChange() {
        String ownerToken = keycloak.userToken(keycloak.newUser("ssf-wild-owner"));
        String workspace = KeycloakServer.unique("ssf-wild");
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
        SsfPoller.Set set = measured("wildcard set", workspaceChange(workspace, "Viewer", "active"),
                () -> http.post(keycloak.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                        Map.of("principal", "*", "roles", List.of("Viewer"))), 201);
        assertEquals("opaque", set.subject().get("format").asText());
        assertEquals("workspace:" + workspace, set.subject().get("id").asText());
        measured("wildcard removed", workspaceChange(workspace, null, "active"),
                () -> http.delete(keycloak.keygateApi() + "/workspaces/" + workspace + "/members/%2A", ownerToken), 204);
    }

    @Test
    void workspaceEnteringCleanupAndDeletedArriveAsWorkspaceChange() {
        String ownerToken = keycloak.userToken(keycloak.newUser("ssf-del-owner"));
        String workspace = KeycloakServer.unique("ssf-del");
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
        measured("workspace deletion stage pending (cascade delete)", workspaceChange(workspace, null, "deleted"),
                () -> http.put(keycloak.keygateApi() + "/workspaces/" + workspace + "/deletion-stage", ownerToken,
                        Map.of("stage", "pending")), 200);
        measured("workspace cleanup failed (Admins keep Admin)", workspaceChange(workspace, null, "active"),
                () -> http.put(keycloak.keygateApi() + "/workspaces/" + workspace + "/deletion-stage", ownerToken,
                        Map.of("stage", "failed")), 200);
        measured("workspace deleted", workspaceChange(workspace, null, "deleted"),
                () -> http.delete(keycloak.keygateApi() + "/workspaces/" + workspace, ownerToken), 204);
    }

    @Test
    void platformAdminRemovedDirectlyArrivesAsTokenClaimsChange() {
        String userId = userId(keycloak.newUser("ssf-pa-direct"));
        String role = Http.expect(200, http.get(keycloak.adminApi() + "/roles/platform-admin", keycloak.adminToken())).body();
        String mappings = keycloak.adminApi() + "/users/" + userId + "/role-mappings/realm";
        measured("platform-admin granted directly", realmRoles(userId, true),
                () -> http.post(mappings, keycloak.adminToken(), "[" + role + "]"), 204);
        measured("platform-admin removed directly", realmRoles(userId, false),
                () -> http.send(Http.request(mappings, keycloak.adminToken()).header("Content-Type", "application/json")
                        .method("DELETE", HttpRequest.BodyPublishers.ofString("[" + role + "]"))), 204);
    }

    @Test
    void platformAdminRemovedViaAGroupArrivesAsTokenClaimsChange() {
        String userId = userId(keycloak.newUser("ssf-pa-group"));
        String admin = keycloak.adminToken();
        String role = Http.expect(200, http.get(keycloak.adminApi() + "/roles/platform-admin", admin)).body();
        String name = KeycloakServer.unique("ssf-operators");
        Http.expect(201, http.post(keycloak.adminApi() + "/groups", admin, Map.of("name", name)));
        String group = groupId("/" + name);
        String mappings = keycloak.adminApi() + "/groups/" + group + "/role-mappings/realm";
        Http.expect(204, http.post(mappings, admin, "[" + role + "]"));
        measured("joined a platform-admin group", realmRoles(userId, true),
                () -> http.send(Http.request(keycloak.adminApi() + "/users/" + userId + "/groups/" + group, keycloak.adminToken())
                        .PUT(HttpRequest.BodyPublishers.noBody())), 204);
        measured("platform-admin removed from the user's group", realmRoles(userId, false),
                () -> http.send(Http.request(mappings, keycloak.adminToken()).header("Content-Type", "application/json")
                        .method("DELETE", HttpRequest.BodyPublishers.ofString("[" + role + "]"))), 204);
    }

    @Test
    void platformAdminRemovedFromACompositeRoleArrivesAsTokenClaimsChange() {
        String userId = userId(keycloak.newUser("ssf-pa-composite"));
        String admin = keycloak.adminToken();
        String platformAdmin = Http.expect(200, http.get(keycloak.adminApi() + "/roles/platform-admin", admin)).body();
        String name = KeycloakServer.unique("ssf-operator");
        Http.expect(201, http.post(keycloak.adminApi() + "/roles", admin, Map.of("name", name)));
        String operator = Http.expect(200, http.get(keycloak.adminApi() + "/roles/" + name, admin)).body();
        Http.expect(204, http.post(keycloak.adminApi() + "/users/" + userId + "/role-mappings/realm", admin, "[" + operator + "]"));
        String composites = keycloak.adminApi() + "/roles/" + name + "/composites";
        measured("platform-admin added to a composite the user holds", realmRoles(userId, true),
                () -> http.post(composites, keycloak.adminToken(), "[" + platformAdmin + "]"), 204);
        measured("platform-admin removed from that composite", realmRoles(userId, false),
                () -> http.send(Http.request(composites, keycloak.adminToken()).header("Content-Type", "application/json")
                        .method("DELETE", HttpRequest.BodyPublishers.ofString("[" + platformAdmin + "]"))), 204);
    }

    @Test
    void orgRoleRemovedArrivesAsTokenClaimsChange() {
        String userId = userId(keycloak.newUser("ssf-tenant"));
        String admin = keycloak.adminToken();
        String orgs = keycloak.adminApi() + "/organizations";
        String orgId = null;
        for (JsonNode org : Http.expect(200, http.get(orgs + "?max=100", admin)).json()) {
            if ("acme".equals(org.get("alias").asText())) {
                orgId = org.get("id").asText();
            }
        }
        String org = orgs + "/" + orgId;
        Http.expect(201, http.post(org + "/members", admin, "\"" + userId + "\""));
        String tenantAdmin = Http.expect(200, http.get(org + "/groups/group-by-path/TENANT_ADMIN", admin)).json().get("id").asText();
        String membership = org + "/groups/" + tenantAdmin + "/members/" + userId;
        measured("org role granted", orgRoles(userId, "[\"TENANT_ADMIN\"]"),
                () -> http.send(Http.request(membership, keycloak.adminToken()).PUT(HttpRequest.BodyPublishers.noBody())), 204);
        measured("org role removed", orgRoles(userId, "[]"), () -> http.delete(membership, keycloak.adminToken()), 204);
    }

    @Test
    void userDisabledArrivesAsSessionRevoked() {
        String userId = userId(keycloak.newUser("ssf-disabled"));
        SsfPoller.Set set = measured("user disabled", revoked(userId, "user disabled"),
                () -> http.put(keycloak.adminApi() + "/users/" + userId, keycloak.adminToken(), Map.of("enabled", false)), 204);
        assertSubjectIsIssSub(set, userId);
    }

    @Test
    void userDeletedArrivesAsSessionRevoked() {
        String userId = userId(keycloak.newUser("ssf-deleted"));
        SsfPoller.Set set = measured("user deleted", revoked(userId, "user deleted"),
                () -> http.delete(keycloak.adminApi() + "/users/" + userId, keycloak.adminToken()), 204);
        assertSubjectIsIssSub(set, userId);
    }

    @Test
    void logoutThroughEndSessionArrivesAsSessionRevokedWithTheSid() {
        String email = keycloak.newUser("ssf-logout");
        String userId = userId(email);
        JsonNode tokens = Http.expect(200, http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password",
                "client_id", KeycloakServer.CLI_CLIENT, "username", email, "password", KeycloakServer.DEV_PASSWORD,
                "scope", "openid"))).json();
        String sid = jwtClaims(tokens.get("access_token").asText()).get("sid").asText();
        SsfPoller.Set set = measured("logout via end-session", revoked(userId, "logout"),
                () -> http.postForm(keycloak.realmUrl() + "/protocol/openid-connect/logout", Map.of(
                        "client_id", KeycloakServer.CLI_CLIENT, "refresh_token", tokens.get("refresh_token").asText())), 204);
        assertEquals("complex", set.subject().get("format").asText());
        assertEquals(userId, set.subject().get("user").get("sub").asText());
        assertEquals(sid, set.subject().get("session").get("id").asText(), "the SET names the ended session");
    }

    @Test
    void adminSignOutArrivesAsSessionRevoked() {
        String userId = userId(keycloak.newUser("ssf-signout"));
        measured("admin sign-out", revoked(userId, "admin sign-out"),
                () -> http.post(keycloak.adminApi() + "/users/" + userId + "/logout", keycloak.adminToken(), Map.of()), 204);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void setsSurviveAKeycloakRestart() {
        String owner = keycloak.newUser("ssf-restart-owner");
        String ownerToken = keycloak.userToken(owner);
        String first = keycloak.newUser("ssf-restart-a");
        String second = keycloak.newUser("ssf-restart-b");
        String firstId = userId(first);
        String secondId = userId(second);
        String workspace = KeycloakServer.unique("ssf-restart");
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                Map.of("principal", first, "roles", List.of("Viewer"))));
        SsfPoller.Set delivered = poller.peek(claimsOf(firstId, ws -> "Viewer".equals(ws.path(workspace).asText())), WAIT);
        Http.expect(201, http.post(keycloak.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                Map.of("principal", second, "roles", List.of("Editor"))));

        keycloak.restart();
        poller.forgetReceived();

        SsfPoller.Set again = poller.await(claimsOf(firstId, ws -> "Viewer".equals(ws.path(workspace).asText())), WAIT);
        assertEquals(delivered.jti(), again.jti(), "the un-acked SET is delivered again, same jti");
        assertEquals(delivered.seq(), again.seq());
        SsfPoller.Set later = poller.await(claimsOf(secondId, ws -> "Editor".equals(ws.path(workspace).asText())), WAIT);
        System.out.println("[keygate-it] freshness Keycloak restart: un-acked SET seq " + again.seq()
                + " redelivered with the same jti, the change made just before the stop arrived as seq " + later.seq());
    }

    // ---- helpers

    /** Makes the change while a long-poll is held, prints ack -> arrival, returns the matching SET. */
    private SsfPoller.Set measured(String what, Predicate<SsfPoller.Set> wanted, Supplier<Http.Response> change, int status) {
        poller.drain();
        CompletableFuture<SsfPoller.Set> waiting = CompletableFuture.supplyAsync(() -> poller.await(wanted, WAIT));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!poller.polling() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Http.Response response = change.get();
        long acknowledged = System.nanoTime();
        Http.expect(status, response);
        SsfPoller.Set set = waiting.join();
        double millis = (set.arrivedNanos() - acknowledged) / 1e6;
        System.out.printf("[keygate-it] freshness %s: %s SET seq %d arrived %.1f ms after the change's acknowledgement%n",
                what, shortType(set.type()), set.seq(), millis);
        assertTrue(millis < 1000, what + ": SET arrived " + millis + " ms after the acknowledgement (bound 1 s)");
        return set;
    }

    private static Predicate<SsfPoller.Set> claimsOf(String userId, Predicate<JsonNode> workspaces) {
        return set -> SecurityEvents.TOKEN_CLAIMS_CHANGE.equals(set.type()) && userId.equals(subjectUser(set))
                && workspaces.test(set.event().get("claims").get("workspaces"));
    }

    private static Predicate<SsfPoller.Set> workspaceChange(String workspace, String wildcard, String state) {
        return set -> SecurityEvents.WORKSPACE_CHANGE.equals(set.type()) && workspace.equals(set.event().get("workspace").asText())
                && state.equals(set.event().get("state").asText())
                && (wildcard == null ? set.event().get("wildcard_role").isNull() : wildcard.equals(set.event().get("wildcard_role").asText()));
    }

    private static Predicate<SsfPoller.Set> realmRoles(String userId, boolean platformAdmin) {
        return set -> SecurityEvents.TOKEN_CLAIMS_CHANGE.equals(set.type()) && userId.equals(subjectUser(set))
                && set.event().get("claims").get("realm_access").get("roles").toString().contains("\"platform-admin\"") == platformAdmin;
    }

    private static Predicate<SsfPoller.Set> orgRoles(String userId, String roles) {
        return set -> SecurityEvents.TOKEN_CLAIMS_CHANGE.equals(set.type()) && userId.equals(subjectUser(set))
                && roles.equals(set.event().get("claims").get("orgs").path("acme").path("roles").toString());
    }

    private static Predicate<SsfPoller.Set> revoked(String userId, String reason) {
        return set -> SecurityEvents.SESSION_REVOKED.equals(set.type()) && userId.equals(subjectUser(set))
                && reason.equals(set.event().get("reason_admin").get("en").asText());
    }

    private static JsonNode jwtClaims(String token) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    com.nimbusds.jwt.SignedJWT.parse(token).getPayload().toString());
        } catch (Exception e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    private String groupId(String path) {
        return Http.expect(200, http.get(keycloak.adminApi() + "/group-by-path" + path, keycloak.adminToken())).json().get("id").asText();
    }

    static String subjectUser(SsfPoller.Set set) {
        JsonNode subject = set.subject();
        JsonNode user = "complex".equals(subject.path("format").asText()) ? subject.get("user") : subject;
        return user.path("sub").asText("");
    }

    private void assertSubjectIsIssSub(SsfPoller.Set set, String userId) {
        assertEquals("iss_sub", set.subject().get("format").asText());
        assertEquals(keycloak.issuer(), set.subject().get("iss").asText());
        assertEquals(userId, set.subject().get("sub").asText());
    }

    private String userId(String email) {
        Http.Response response = http.get(keycloak.adminApi() + "/users?exact=true&email=" + Http.enc(email), keycloak.adminToken());
        return Http.expect(200, response).json().get(0).get("id").asText();
    }

    private static String shortType(String type) {
        return type.substring(type.lastIndexOf('/') + 1);
    }

    private static void assertDetail(int status, Http.Response response) {
        assertEquals(status, response.status(), response.toString());
        assertTrue(response.json().hasNonNull("detail"), "error body has a detail: " + response);
    }
}
