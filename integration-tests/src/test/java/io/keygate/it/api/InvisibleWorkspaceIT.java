package io.keygate.it.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** A workspace alice is not in: 403 on read (not 404, as the reference does) and absent from her list. */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvisibleWorkspaceIT {

    KeycloakServer keycloak;
    GatewayUnderTest gateway;

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aWorkspaceAliceCannotSeeIsForbiddenAndUnlisted() {
        String owner = KeycloakServer.unique("owner") + "@example.com";
        String alice = KeycloakServer.unique("alice") + "@example.com";
        keycloak.createUser(owner);
        keycloak.createUser(alice);
        String hidden = KeycloakServer.unique("hidden");
        String hers = KeycloakServer.unique("hers");
        assertEquals(201, gateway.post("/apis/entities/v2/workspaces", keycloak.userToken(owner), Map.of("name", hidden)).status());
        assertEquals(201, gateway.post("/apis/entities/v2/workspaces", keycloak.userToken(alice), Map.of("name", hers)).status());

        String token = keycloak.userToken(alice);
        Http.Response get = gateway.get("/apis/entities/v2/workspaces/" + hidden, token);
        System.out.println("[invisible] GET hidden as alice: " + get);
        assertEquals(403, get.status());
        assertTrue(get.json().get("detail").isTextual());
        assertEquals(403, gateway.get("/apis/entities/v2/workspaces/" + hidden + "/projects", token).status());
        assertEquals(403, gateway.get("/apis/entities/v2/workspaces/" + hidden + "/members", token).status());

        List<String> listed = GatewayUnderTest.names(
                gateway.get("/apis/entities/v2/workspaces?page_size=1000", token).json());
        System.out.println("[invisible] alice lists: " + listed);
        assertFalse(listed.contains(hidden));
        assertTrue(listed.contains(hers));
        assertTrue(listed.contains("default"));
        assertEquals(403, gateway.get("/apis/entities/v2/workspaces/" + KeycloakServer.unique("nowhere"), token).status(),
                "a workspace that does not exist answers like one she cannot see: no existence oracle");
    }
}
