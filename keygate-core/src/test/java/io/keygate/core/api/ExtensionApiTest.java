package io.keygate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExtensionApiTest {

    @Test
    void realmUrlDropsTrailingSlashesOfTheKeycloakUrl() {
        assertEquals("http://kc:8080/realms/keygate", ExtensionApi.realmUrl("http://kc:8080", "keygate"));
        assertEquals("http://kc:8080/auth/realms/keygate", ExtensionApi.realmUrl("http://kc:8080/auth//", "keygate"));
    }

    @Test
    void urlsBelowTheRealm() {
        String realm = ExtensionApi.realmUrl("https://id.example.com/", "acme");
        assertEquals("https://id.example.com/realms/acme/keygate", ExtensionApi.baseUrl(realm));
        assertEquals("https://id.example.com/realms/acme/keygate/me/workspaces", ExtensionApi.myWorkspacesUrl(realm));
        assertEquals("https://id.example.com/realms/acme/protocol/openid-connect/token", ExtensionApi.tokenEndpoint(realm));
    }

    @Test
    void pathsMatchTheRouteTemplatesWithSegmentsEncoded() {
        assertEquals("/workspaces/ml-team", ExtensionApi.workspacePath("ml-team"));
        assertEquals("/workspaces/ml-team/deletion-stage", ExtensionApi.deletionStagePath("ml-team"));
        assertEquals("/workspaces/ml-team/members/%2A", ExtensionApi.memberPath("ml-team", "*"));
        assertEquals("/workspaces/ml-team/members/a%2Bb%40example.com", ExtensionApi.memberPath("ml-team", "a+b@example.com"));
        assertEquals("/workspaces/a%2F..%2Fb", ExtensionApi.workspacePath("a/../b"), "a name cannot climb out of its segment");
        assertEquals("/role-bindings/rb-1", ExtensionApi.roleBindingPath("rb-1"));
        assertEquals("/principals/alice%20smith/workspaces", ExtensionApi.principalWorkspacesPath("alice smith"));
        assertEquals("/" + ExtensionApi.MEMBER.replace("{name}", "ws").replace("{principal}", "p"), ExtensionApi.memberPath("ws", "p"));
        assertEquals("/" + ExtensionApi.DELETION_STAGE.replace("{name}", "ws"), ExtensionApi.deletionStagePath("ws"));
        assertEquals("/" + ExtensionApi.PRINCIPAL_WORKSPACES.replace("{principal}", "p"), ExtensionApi.principalWorkspacesPath("p"));
    }
}
