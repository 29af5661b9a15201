package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Built-in workspaces exist in every realm but master, including realms created after start-up. */
@RealKeycloak
class BootstrapIT {

    KeycloakServer keycloak;

    @Test
    void realmCreatedAtRuntimeGetsTheBuiltInsAndMasterDoesNot() {
        Http http = new Http();
        String admin = keycloak.adminToken();
        String realm = KeycloakServer.unique("tenant");
        KeygateApi.expect(201, http.post(keycloak.baseUrl() + "/admin/realms", admin, Map.of("realm", realm, "enabled", true)));
        try {
            JsonNode defaults = http.get(keycloak.baseUrl() + "/admin/realms/" + realm + "/group-by-path/workspaces/default", admin).json();
            JsonNode system = http.get(keycloak.baseUrl() + "/admin/realms/" + realm + "/group-by-path/workspaces/system", admin).json();
            System.out.println("[bootstrap] new realm default=" + defaults.path("attributes") + " system=" + system.path("attributes"));

            assertEquals(List.of("Editor"), List.of(defaults.path("attributes").path("keygate.wildcard_role").get(0).asText()));
            assertEquals(List.of("Viewer"), List.of(system.path("attributes").path("keygate.wildcard_role").get(0).asText()));
            assertEquals(404, http.get(keycloak.baseUrl() + "/admin/realms/master/group-by-path/workspaces", admin).status());
        } finally {
            http.delete(keycloak.baseUrl() + "/admin/realms/" + realm, admin);
        }
    }
}
