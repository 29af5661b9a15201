package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seed 000's quickstart mode against the real Keycloak: with {@code auth.devPrincipalHeader: true}
 * the gateway trusts {@code X-NMP-Principal-Id} (or an email as the bearer "API key") and looks
 * that principal's roles up live in Keycloak; with the default configuration the header means nothing.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevHeaderModeIT {

    KeycloakServer keycloak;
    GatewayUnderTest devGateway;
    GatewayUnderTest strictGateway;
    final Http http = new Http();

    @BeforeAll
    void start() {
        devGateway = new GatewayUnderTest(keycloak, false, true);
        strictGateway = new GatewayUnderTest(keycloak);
    }

    @AfterAll
    void stop() {
        devGateway.close();
        strictGateway.close();
    }

    @Test
    void headerNamesThePrincipalWhoseLiveRolesDecide() {
        String owner = keycloak.newUser("dev-owner");
        String viewer = keycloak.newUser("dev-viewer");
        String ws = KeycloakServer.unique("dev-mode");
        String projects = "/apis/entities/v2/workspaces/" + ws + "/projects";
        String ownerToken = keycloak.userToken(owner);
        expect(201, strictGateway.post("/apis/entities/v2/workspaces", ownerToken, Map.of("name", ws)));
        expect(201, strictGateway.post("/apis/entities/v2/workspaces/" + ws + "/members", ownerToken,
                Map.of("principal", viewer, "roles", List.of("Viewer"))));

        expect(200, send(devGateway, "GET", projects, viewer, null));
        expect(403, send(devGateway, "POST", projects, viewer, Map.of("name", "by-viewer")));
        expect(201, send(devGateway, "POST", projects, owner, Map.of("name", "by-owner")));
        expect(201, devGateway.post(projects, "admin@example.com", Map.of("name", "by-platform-admin-api-key")));
        expect(403, send(devGateway, "GET", projects, keycloak.newUser("dev-stranger"), null));
    }

    @Test
    void workspaceAndMemberWritesAreDecidedAndRecordedAsTheDevPrincipal() {
        String owner = keycloak.newUser("dev-creator");
        String other = keycloak.newUser("dev-other");
        String ws = KeycloakServer.unique("dev-created");
        String members = "/apis/entities/v2/workspaces/" + ws + "/members";

        Http.Response created = expect(201, send(devGateway, "POST", "/apis/entities/v2/workspaces", owner, Map.of("name", ws)));
        assertEquals(owner, created.json().get("created_by").asText(), created.toString());
        expect(201, send(devGateway, "POST", members, owner, Map.of("principal", other, "roles", List.of("Viewer"))));
        String list = expect(200, send(devGateway, "GET", members, other, null)).body();
        assertTrue(list.contains("\"principal\":\"" + owner + "\",\"roles\":[\"Admin\"]"), list);
        expect(403, send(devGateway, "POST", members, other, Map.of("principal", other, "roles", List.of("Admin"))));
    }

    @Test
    void onlyAPlatformAdminServiceAccountMayActForSomeoneElse() {
        Http.Response refused = http.send(Http.request(keycloak.keygateApi() + "/workspaces", keycloak.userToken("admin@example.com"))
                .header("X-Keygate-Act-As", "alice@example.com").GET());

        expect(403, refused);
        expect(200, http.send(Http.request(keycloak.keygateApi() + "/workspaces", keycloak.gatewayToken())
                .header("X-Keygate-Act-As", "alice@example.com").GET()));
    }

    @Test
    void headerIsIgnoredWhenDevModeIsOff() {
        Http.Response response = send(strictGateway, "GET", "/apis/entities/v2/workspaces", "admin@example.com", null);

        expect(401, response);
        expect(401, strictGateway.get("/apis/entities/v2/workspaces", "admin@example.com"));
    }

    private Http.Response send(GatewayUnderTest gateway, String method, String path, String principal, Object body) {
        return http.send(Http.request(gateway.url(path), null).header("X-NMP-Principal-Id", principal)
                .header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(Http.toJson(body))));
    }
}
