package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NICo's organization endpoints over HTTP with real tokens: org membership and org-role groups
 * set in Keycloak's Organizations (as an admin does in the console) decide who may call what.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgEndpointsIT {

    private static final String ACME = "/v2/org/acme/keygate";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    final Http http = new Http();
    String orgId;

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak, true, false);
        orgId = organizationId("acme");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void tenantAdminSeesUserAndTenantButNoAllocations() {
        String tenantAdmin = token(orgMember("tenant-admin", "TENANT_ADMIN"));

        JsonNode user = expect(200, gateway.get(ACME + "/user/current", tenantAdmin)).json();
        assertEquals("[\"TENANT_ADMIN\"]", user.get("roles").toString(), user.toString());
        assertTrue(user.get("email").asText().startsWith("tenant-admin-"), user.toString());
        expect(200, gateway.get(ACME + "/tenant/current", tenantAdmin));
        assertTrue(expect(403, gateway.get(ACME + "/allocation", tenantAdmin)).json().get("detail").asText().contains("PROVIDER"));
    }

    @Test
    void providerRolesGateAllocationsAndTheAuditShowsTheWrites() {
        String providerAdmin = token(orgMember("provider-admin", "PROVIDER_ADMIN"));
        String providerViewer = token(orgMember("provider-viewer", "PROVIDER_VIEWER"));
        String name = KeycloakServer.unique("gpu-pool");

        JsonNode created = expect(201, gateway.post(ACME + "/allocation", providerAdmin, Map.of("name", name, "description", "8 GPUs"))).json();
        String id = created.get("id").asText();
        expect(409, gateway.post(ACME + "/allocation", providerAdmin, Map.of("name", name)));
        expect(422, gateway.post(ACME + "/allocation", providerAdmin, Map.of("name", "Bad Name")));
        expect(403, gateway.post(ACME + "/allocation", providerViewer, Map.of("name", KeycloakServer.unique("viewer-pool"))));

        assertEquals("8 GPUs", expect(200, gateway.get(ACME + "/allocation/" + id, providerViewer)).json().get("description").asText());
        assertEquals("16 GPUs", expect(200, gateway.put(ACME + "/allocation/" + id, providerAdmin, Map.of("description", "16 GPUs")))
                .json().get("description").asText());
        expect(200, gateway.delete(ACME + "/allocation/" + id, providerAdmin));
        expect(404, gateway.get(ACME + "/allocation/" + id, providerViewer));

        String audit = expect(200, gateway.get(ACME + "/audit", providerAdmin)).body();
        assertTrue(audit.contains("\"method\":\"POST\"") && audit.contains("\"status\":201"), audit);
        assertTrue(audit.contains("\"status\":403"), "the refused write is audited too: " + audit);
    }

    @Test
    void plainMembersSeeThemselvesAndOutsidersNothing() {
        String member = token(orgMember("org-member", null));
        String outsider = token(keycloak.newUser("org-outsider"));

        assertEquals("[]", expect(200, gateway.get(ACME + "/user/current", member)).json().get("roles").toString());
        expect(403, gateway.get(ACME + "/tenant/current", member));
        expect(403, gateway.get(ACME + "/user/current", outsider));
        expect(403, gateway.get("/v2/org/other-org/keygate/user/current", member));
    }

    private String orgMember(String prefix, String orgRole) {
        String email = keycloak.newUser(prefix);
        String admin = keycloak.adminToken();
        String userId = expect(200, http.get(keycloak.adminApi() + "/users?exact=true&email=" + Http.enc(email), admin))
                .json().get(0).get("id").asText();
        String orgs = keycloak.adminApi() + "/organizations/" + orgId;
        expect(201, http.post(orgs + "/members", admin, "\"" + userId + "\""));
        if (orgRole != null) {
            String groupId = expect(200, http.get(orgs + "/groups/group-by-path/" + orgRole, admin)).json().get("id").asText();
            expect(204, http.send(Http.request(orgs + "/groups/" + groupId + "/members/" + userId, admin)
                    .PUT(HttpRequest.BodyPublishers.noBody())));
        }
        return email;
    }

    private String organizationId(String alias) {
        for (JsonNode org : expect(200, http.get(keycloak.adminApi() + "/organizations?max=100", keycloak.adminToken())).json()) {
            if (alias.equals(org.path("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new AssertionError("no organization " + alias);
    }

    private String token(String email) {
        return keycloak.userToken(email);
    }
}
