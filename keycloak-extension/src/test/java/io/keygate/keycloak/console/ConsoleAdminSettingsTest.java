package io.keygate.keycloak.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.keycloak.support.MapScope;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class ConsoleAdminSettingsTest {

    @Test
    void onUnlessExplicitlyFalse() {
        assertTrue(ConsoleAdminSettings.from(scope(Map.of())).enabled());
        assertTrue(ConsoleAdminSettings.from(scope(Map.of(ConsoleAdminSettings.ENABLED, " "))).enabled());
        assertTrue(ConsoleAdminSettings.from(scope(Map.of(ConsoleAdminSettings.ENABLED, "true"))).enabled());
        assertFalse(ConsoleAdminSettings.from(scope(Map.of(ConsoleAdminSettings.ENABLED, "FALSE"))).enabled());
        assertFalse(ConsoleAdminSettings.from(scope(Map.of(ConsoleAdminSettings.ENABLED, " false "))).enabled());
    }

    @Test
    void declaresItsOneProperty() {
        assertEquals(1, ConsoleAdminSettings.configMetadata().size());
        assertEquals(ConsoleAdminSettings.ENABLED, ConsoleAdminSettings.configMetadata().get(0).getName());
    }

    @Test
    void policyNamesCarryTheWorkspace() {
        String name = WorkspaceConsolePermissions.name("ml-team.v2", WorkspaceConsolePermissions.Kind.GROUPS);
        assertEquals("keygate:workspace:ml-team.v2:groups", name);
        assertEquals("ml-team.v2", WorkspaceConsolePermissions.workspaceOf(name));
        assertFalse(WorkspaceConsolePermissions.ANY_ADMINS.startsWith(WorkspaceConsolePermissions.PREFIX),
                "shared objects are never taken for a workspace's");
    }

    private static Config.Scope scope(Map<String, String> values) {
        return MapScope.of(values);
    }
}
