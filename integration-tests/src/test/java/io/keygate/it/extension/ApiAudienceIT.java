package io.keygate.it.extension;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.AdminRest;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14: the extension's REST API accepts only tokens minted for keygate (audience
 * {@code keygate-api}, or the service account of {@code keygate-gateway}). Tokens of another
 * client of the same realm, even a platform admin's or a platform-admin service account's, are
 * refused with 401 on every endpoint and change nothing; keygate's own tokens keep working.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAudienceIT {

    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";
    private static final String CHARLIE = "charlie@example.com";
    private static final String PLATFORM_ADMIN = "admin@example.com";
    private static final String OTHER_SA_SECRET = "other-service-secret";

    KeycloakServer keycloak;
    KeygateApi api;
    AdminRest admin;
    String otherApp;
    String otherService;

    @BeforeAll
    void createTheOtherClients() {
        api = new KeygateApi(keycloak);
        admin = new AdminRest(keycloak);
        otherApp = KeycloakServer.unique("other-app");
        admin.createClient(Map.of("clientId", otherApp, "publicClient", true, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false));
        otherService = KeycloakServer.unique("other-service");
        admin.createClient(Map.of("clientId", otherService, "publicClient", false, "secret", OTHER_SA_SECRET,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false));
        admin.grantRealmRole(admin.serviceAccountUserId(otherService), "platform-admin");
    }

    @Test
    void tokensOfAnotherClientAreRefusedOnEveryEndpointAndChangeNothing() {
        String aliceToken = keycloak.userToken(ALICE);
        String ws = KeycloakServer.unique("aud");
        String unborn = KeycloakServer.unique("aud-new");
        api.createWorkspace(aliceToken, ws);
        api.addMember(aliceToken, ws, BOB, "Viewer");
        JsonNode before = expect(200, api.get("/workspaces/" + ws, aliceToken)).json();
        String membersBefore = memberRows(aliceToken, ws);

        Map<String, String> foreign = Map.of(
                "alice via " + otherApp, userTokenFor(otherApp, ALICE),
                "platform admin via " + otherApp, userTokenFor(otherApp, PLATFORM_ADMIN),
                "platform-admin service account of " + otherService, serviceToken(otherService, OTHER_SA_SECRET));
        foreign.forEach((who, token) -> {
            JsonNode claims = KeygateApi.claims(token);
            System.out.println("[audience] " + who + ": aud=" + claims.path("aud") + " azp=" + claims.path("azp"));
            assertFalse(claims.path("aud").toString().contains(KeycloakServer.AUDIENCE), "a foreign token: " + claims);
        });

        int refused = 0;
        for (Map.Entry<String, String> entry : foreign.entrySet()) {
            for (Call call : everyEndpoint(ws, unborn)) {
                Http.Response response = call.send(api, entry.getValue());
                assertRefusedForItsAudience(entry.getKey() + ": " + call, response);
                refused++;
            }
        }
        Http.Response actAs = api.http.send(Http.request(keycloak.keygateApi() + "/workspaces", foreign.get(
                "platform-admin service account of " + otherService)).header("X-Keygate-Act-As", ALICE).GET());
        assertRefusedForItsAudience("act-as by " + otherService, actAs);
        refused++;
        System.out.println("[audience] refused " + refused + " of " + refused + " requests with foreign tokens ("
                + everyEndpoint(ws, unborn).size() + " endpoints x " + foreign.size() + " tokens + act-as)");

        JsonNode after = expect(200, api.get("/workspaces/" + ws, aliceToken)).json();
        assertEquals(before, after, "workspace unchanged");
        assertEquals(membersBefore, memberRows(aliceToken, ws), "members unchanged (no charlie, no '*', bob still Viewer)");
        expect(404, api.get("/workspaces/" + unborn, keycloak.userToken(PLATFORM_ADMIN)));
        JsonNode group = admin.group("/workspaces/" + ws);
        assertNull(group.path("attributes").get("keygate.deletion_stage"), "no deletion stage: " + group);
        assertNull(group.path("attributes").get("keygate.wildcard_role"), "no wildcard: " + group);
        assertTrue(names(expect(200, api.get("/workspaces?page_size=1000", aliceToken)).json()).contains(ws), "still listed");
        System.out.println("[audience] after the refusals: " + after + "; members " + membersBefore);
    }

    @Test
    void idTokensRefreshTokensAndOtherRealmsStayRefused() {
        JsonNode tokens = expect(200, api.http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password",
                "client_id", KeycloakServer.CLI_CLIENT, "username", ALICE, "password", KeycloakServer.DEV_PASSWORD,
                "scope", "openid"))).json();
        Map<String, String> wrongKinds = Map.of(
                "ID token", tokens.get("id_token").asText(),
                "refresh token", tokens.get("refresh_token").asText(),
                "master-realm admin token", keycloak.adminToken(),
                "garbage", "not-a-token");
        wrongKinds.forEach((kind, token) -> {
            Http.Response response = api.get("/me/workspaces", token);
            System.out.println("[audience] " + kind + " -> " + response.status() + " " + response.header("WWW-Authenticate"));
            expect(401, response);
            assertTrue(response.header("WWW-Authenticate").contains("error=\"invalid_token\""), kind + ": " + response.headers());
            assertTrue(response.json().path("detail").asText().startsWith("invalid token: "), kind + ": " + response);
        });

        Http.Response none = api.get("/me/workspaces", null);
        expect(401, none);
        assertEquals("Bearer realm=\"keygate\"", none.header("WWW-Authenticate"), "no token: a bare challenge");
        Http.Response accessToken = api.get("/me/workspaces", tokens.get("access_token").asText());
        expect(200, accessToken);
        System.out.println("[audience] no token -> 401 " + none.header("WWW-Authenticate") + "; the access token of the same grant -> "
                + accessToken.status() + " " + accessToken.body());
    }

    @Test
    void keygateCliTokensAndTheGatewayServiceAccountKeepWorking() {
        String owner = keycloak.newUser("aud-owner");
        String member = keycloak.newUser("aud-member");
        String ownerToken = keycloak.userToken(owner);
        JsonNode claims = KeygateApi.claims(ownerToken);
        System.out.println("[audience] keygate-cli token: aud=" + claims.path("aud") + " azp=" + claims.path("azp"));
        String ws = KeycloakServer.unique("aud-ok");
        api.createWorkspace(ownerToken, ws);
        api.addMember(ownerToken, ws, member, "Viewer");
        expect(200, api.put("/workspaces/" + ws + "/members/" + member, ownerToken, Map.of("roles", List.of("Editor"))));
        expect(201, api.post("/workspaces/" + ws + "/members", ownerToken, Map.of("principal", "*", "roles", List.of("Viewer"))));
        expect(204, api.delete("/workspaces/" + ws + "/members/*", ownerToken));
        expect(204, api.delete("/workspaces/" + ws + "/members/" + member, ownerToken));
        expect(200, api.put("/workspaces/" + ws, ownerToken, Map.of("description", "still mine")));
        assertEquals("Admin", expect(200, api.get("/me/workspaces", ownerToken)).json().path("workspaces").path(ws).asText());

        String gateway = keycloak.gatewayToken();
        JsonNode gatewayClaims = KeygateApi.claims(gateway);
        System.out.println("[audience] gateway service-account token: aud=" + gatewayClaims.path("aud") + " azp=" + gatewayClaims.path("azp"));
        JsonNode looked = expect(200, api.get("/principals/" + Http.enc(owner) + "/workspaces", gateway)).json();
        assertEquals("Admin", looked.path("workspaces").path(ws).asText(), looked.toString());
        Http.Response actAs = api.http.send(Http.request(keycloak.keygateApi() + "/workspaces/" + ws + "/members", gateway)
                .header("X-Keygate-Act-As", owner).GET());
        expect(200, actAs);
        assertEquals("pending", expect(200, api.put("/workspaces/" + ws + "/deletion-stage", gateway,
                Map.of("stage", "pending"))).json().path("deletion_stage").asText(""));
        expect(204, api.delete("/workspaces/" + ws, gateway));
        expect(404, api.get("/workspaces/" + ws, keycloak.userToken(PLATFORM_ADMIN)));
        System.out.println("[audience] keygate-cli token: create, add/update/remove member, wildcard, update, me/workspaces OK;"
                + " gateway service account: principal lookup, act-as, deletion-stage, delete OK");
    }

    private void assertRefusedForItsAudience(String what, Http.Response response) {
        String challenge = response.header("WWW-Authenticate");
        assertEquals(401, response.status(), what + " -> " + response);
        assertTrue(challenge != null && challenge.startsWith(
                "Bearer realm=\"keygate\", error=\"invalid_token\", error_description=\"token audience "), what + ": " + challenge);
        assertTrue(response.json().path("detail").asText().startsWith("invalid token: token audience "), what + ": " + response);
    }

    /** Every route of the extension, with a body that would change something if it were accepted. */
    private static List<Call> everyEndpoint(String ws, String unborn) {
        String base = "/workspaces/" + ws;
        return List.of(
                new Call("POST", "/workspaces", Map.of("name", unborn)),
                new Call("GET", "/workspaces", null),
                new Call("GET", base, null),
                new Call("PUT", base, Map.of("description", "taken over")),
                new Call("DELETE", base, null),
                new Call("PUT", base + "/deletion-stage", Map.of("stage", "pending")),
                new Call("GET", base + "/members", null),
                new Call("POST", base + "/members", Map.of("principal", CHARLIE, "roles", List.of("Admin"))),
                new Call("POST", base + "/members", Map.of("principal", "*", "roles", List.of("Editor"))),
                new Call("PUT", base + "/members/" + BOB, Map.of("roles", List.of("Admin"))),
                new Call("DELETE", base + "/members/" + BOB, null),
                new Call("GET", "/me/workspaces", null),
                new Call("GET", "/principals/" + ALICE + "/workspaces", null));
    }

    private record Call(String method, String path, Object body) {
        Http.Response send(KeygateApi api, String token) {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Http.toJson(body));
            return api.http.send(Http.request(api.keycloak.keygateApi() + path, token)
                    .header("Content-Type", "application/json").method(method, publisher));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private String memberRows(String token, String ws) {
        List<String> rows = new ArrayList<>();
        expect(200, api.get("/workspaces/" + ws + "/members?page_size=100", token)).json().get("data")
                .forEach(member -> rows.add(member.get("principal").asText() + "=" + member.get("roles")));
        return String.join(", ", rows);
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("data").forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    private String userTokenFor(String clientId, String username) {
        return expect(200, api.http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password", "client_id", clientId,
                "username", username, "password", KeycloakServer.DEV_PASSWORD))).json().get("access_token").asText();
    }

    private String serviceToken(String clientId, String secret) {
        return expect(200, api.http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret))).json().get("access_token").asText();
    }
}
