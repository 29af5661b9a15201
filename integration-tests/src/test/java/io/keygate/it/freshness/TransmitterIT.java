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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The freshness transmitter (issue 8) against the real Keycloak, seen by an RFC 8936 receiver with
 * the gateway client's token: each change yields a signed SET with the subject's current claims,
 * delivered to a waiting long-poll; the time from the change's HTTP acknowledgement to the SET's
 * arrival is printed.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
