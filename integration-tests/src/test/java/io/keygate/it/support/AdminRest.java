package io.keygate.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The few Keycloak admin REST calls tests use to set a realm up (clients, roles, groups), as the master admin. */
public final class AdminRest {

    private final Http http = new Http();
    private final KeycloakServer keycloak;

    public AdminRest(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    /** Creates a client of the dev realm from its representation; returns its internal id. */
    public String createClient(Map<String, Object> representation) {
        Http.Response created = Http.expect(201, http.post(keycloak.adminApi() + "/clients", keycloak.adminToken(), representation));
        String location = created.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Internal id of the service-account user of the client {@code clientId}. */
    public String serviceAccountUserId(String clientId) {
        String token = keycloak.adminToken();
        JsonNode clients = Http.expect(200, http.get(keycloak.adminApi() + "/clients?clientId=" + Http.enc(clientId), token)).json();
        String id = clients.get(0).get("id").asText();
        return Http.expect(200, http.get(keycloak.adminApi() + "/clients/" + id + "/service-account-user", token)).json().get("id").asText();
    }

    /** Grants the realm role {@code role} to the user {@code userId}. */
    public void grantRealmRole(String userId, String role) {
        String token = keycloak.adminToken();
        JsonNode representation = Http.expect(200, http.get(keycloak.adminApi() + "/roles/" + Http.enc(role), token)).json();
        Http.expect(204, http.post(keycloak.adminApi() + "/users/" + userId + "/role-mappings/realm", token, List.of(representation)));
    }

    /** The group at {@code path} (e.g. {@code /workspaces/ml-team}) with its attributes. */
    public JsonNode group(String path) {
        return Http.expect(200, http.get(keycloak.adminApi() + "/group-by-path" + path, keycloak.adminToken())).json();
    }
}
