package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14, the gateway's side: since the extension accepts only tokens minted for keygate, every
 * way the gateway calls it must still carry such a token: the user's {@code keygate-cli} token for
 * membership writes and the fresh-roles lookup ({@code me/workspaces}), the gateway's service
 * account for cleanup, principal lookups and act-as.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCallsToTheExtensionIT {

    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    GatewayUnderTest devGateway;

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak);
        devGateway = new GatewayUnderTest(keycloak, false, true);
    }

    @AfterAll
    void stop() {
        gateway.close();
        devGateway.close();
    }

    @Test
    void userTokensForwardedByTheGatewayAndItsServiceAccountStillReachTheExtension() throws InterruptedException {
        String owner = keycloak.newUser("gw-aud-owner");
        String member = keycloak.newUser("gw-aud-member");
        String ws = KeycloakServer.unique("gw-aud");
        String ownerToken = keycloak.userToken(owner);
        String memberTokenFromBefore = keycloak.userToken(member);

        expect(201, gateway.post(WORKSPACES, ownerToken, Map.of("name", ws)));
        expect(201, gateway.post(WORKSPACES + "/" + ws + "/members", ownerToken, Map.of("principal", member, "roles", List.of("Editor"))));
        expect(200, gateway.put(WORKSPACES + "/" + ws + "/members/" + member, ownerToken, Map.of("roles", List.of("Viewer"))));
        String members = expect(200, gateway.get(WORKSPACES + "/" + ws + "/members", ownerToken)).body();
        // The member's token predates the grant: the gateway looks the role up in me/workspaces with that token.
        Http.Response freshRoles = gateway.get(WORKSPACES + "/" + ws + "/projects", memberTokenFromBefore);
        expect(200, freshRoles);
        expect(201, gateway.post(WORKSPACES + "/" + ws + "/projects", ownerToken, Map.of("name", "p-1")));

        Http.Response accepted = expect(202, gateway.delete(WORKSPACES + "/" + ws + "?cascade=true", ownerToken));
        assertTrue(gateway.api.cleaner().orElseThrow().awaitIdle(60, TimeUnit.SECONDS), "cleanup finished");
        Http.Response gone = gateway.get(WORKSPACES + "/" + ws, keycloak.userToken("admin@example.com"));
        System.out.println("[audience-gateway] keygate-cli token via gateway: create/add/update/list members OK (" + members
                + "); fresh roles via me/workspaces for a token older than the grant -> " + freshRoles.status()
                + "; cascade delete -> " + accepted.status() + ", cleanup by the service account, then GET -> " + gone.status());
        expect(404, gone);
    }

    @Test
    void devHeaderModeActsThroughTheServiceAccount() {
        String principal = keycloak.newUser("gw-aud-dev");
        String ws = KeycloakServer.unique("gw-aud-dev");
        Http.Response created = expect(201, http(devGateway, "POST", WORKSPACES, principal, Map.of("name", ws)));
        Http.Response read = expect(200, http(devGateway, "GET", WORKSPACES + "/" + ws + "/members", principal, null));
        System.out.println("[audience-gateway] dev-header mode (principal lookup + act-as with the gateway's token): create -> "
                + created.status() + " created_by " + created.json().path("created_by") + "; members -> " + read.body());
        assertEquals(principal, created.json().path("created_by").asText());
    }

    private static Http.Response http(GatewayUnderTest target, String method, String path, String principal, Object body) {
        return target.http.send(Http.request(target.url(path), null).header("X-NMP-Principal-Id", principal)
                .header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(Http.toJson(body))));
    }
}
