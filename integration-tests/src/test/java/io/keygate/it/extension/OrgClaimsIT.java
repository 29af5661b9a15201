package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The org-roles mapper: Keycloak Organizations membership plus org-group membership become the orgs claim. */
@RealKeycloak
class OrgClaimsIT {

    KeycloakServer keycloak;

    @Test
    void orgRoleGroupsBecomeTheOrgsClaimAndTheNicoRolesList() {
        KeygateApi api = new KeygateApi(keycloak);
        String email = api.newUser("tenant");
        String admin = keycloak.adminToken();
        String userId = api.userId(admin, email);
        String orgs = keycloak.adminApi() + "/organizations";
        String orgId = organizationId(api, admin, "acme");

        KeygateApi.expect(201, api.http.post(orgs + "/" + orgId + "/members", admin, "\"" + userId + "\""));
        Http.Response group = api.http.get(orgs + "/" + orgId + "/groups/group-by-path/TENANT_ADMIN", admin);
        KeygateApi.expect(200, group);
        KeygateApi.expect(204, api.http.send(Http.request(orgs + "/" + orgId + "/groups/" + group.json().get("id").asText()
                + "/members/" + userId, admin).PUT(HttpRequest.BodyPublishers.noBody())));

        JsonNode claims = KeygateApi.claims(keycloak.userToken(email));
        System.out.println("[orgs] keygate-cli token orgs claim: " + claims.path("orgs"));
        assertEquals("Acme Corp", claims.path("orgs").path("acme").path("name").asText());
        assertEquals("[\"TENANT_ADMIN\"]", claims.path("orgs").path("acme").path("roles").toString());

        String nicoClient = nicoStyleClient(api, admin);
        JsonNode nico = KeygateApi.claims(passwordToken(api, nicoClient, email));
        System.out.println("[orgs] NICo-style roles claim: " + nico.path("roles"));
        assertEquals("[\"acme:TENANT_ADMIN\"]", nico.path("roles").toString());
    }

    @Test
    void anOrganizationCreatedAfterStartUpGetsItsRoleGroups() {
        KeygateApi api = new KeygateApi(keycloak);
        String admin = keycloak.adminToken();
        String orgs = keycloak.adminApi() + "/organizations";
        String alias = KeycloakServer.unique("beta");
        KeygateApi.expect(201, api.http.post(orgs, admin, Map.of("name", "Beta " + alias, "alias", alias,
                "domains", List.of(Map.of("name", alias + ".example.com")))));
        String orgId = organizationId(api, admin, alias);

        for (String role : List.of("PROVIDER_ADMIN", "PROVIDER_VIEWER", "TENANT_ADMIN")) {
            Http.Response group = api.http.get(orgs + "/" + orgId + "/groups/group-by-path/" + role, admin);
            System.out.println("[orgs] new organization " + alias + ", group " + role + " -> " + group.status());
            KeygateApi.expect(200, group);
        }

        String tenantAdmin = api.http.get(orgs + "/" + orgId + "/groups/group-by-path/TENANT_ADMIN", admin).json().get("id").asText();
        KeygateApi.expect(204, api.http.delete(orgs + "/" + orgId + "/groups/" + tenantAdmin, admin));
        String userId = api.userId(admin, api.newUser("beta-member"));
        KeygateApi.expect(201, api.http.post(orgs + "/" + orgId + "/members", admin, "\"" + userId + "\""));
        KeygateApi.expect(200, api.http.get(orgs + "/" + orgId + "/groups/group-by-path/TENANT_ADMIN", admin));
    }

    private String organizationId(KeygateApi api, String admin, String alias) {
        Http.Response all = api.http.get(keycloak.adminApi() + "/organizations?max=100", admin);
        KeygateApi.expect(200, all);
        for (JsonNode org : all.json()) {
            if (alias.equals(org.path("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new AssertionError("no organization " + alias + " in " + all);
    }

    /** A throw-away public client whose org mapper also writes NICo's "<org>:<ROLE>" list into "roles". */
    private String nicoStyleClient(KeygateApi api, String admin) {
        String clientId = KeycloakServer.unique("nico-client");
        Map<String, Object> mapper = Map.of("name", "orgs", "protocol", "openid-connect", "protocolMapper", "keygate-org-roles",
                "config", Map.of("claim.name", "orgs", "nico.roles.claim", "roles", "access.token.claim", "true"));
        Map<String, Object> client = Map.of("clientId", clientId, "publicClient", true, "directAccessGrantsEnabled", true,
                "protocolMappers", List.of(mapper));
        KeygateApi.expect(201, api.http.post(keycloak.adminApi() + "/clients", admin, client));
        return clientId;
    }

    private String passwordToken(KeygateApi api, String clientId, String username) {
        Http.Response response = api.http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password",
                "client_id", clientId, "username", username, "password", KeycloakServer.DEV_PASSWORD, "scope", "openid"));
        KeygateApi.expect(200, response);
        return response.json().get("access_token").asText();
    }
}
