package io.keygate.keycloak.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
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
        return new Config.AbstractScope() {
            @Override
            public String get(String key) {
                return values.get(key);
            }

            @Override
            public Config.Scope scope(String... scope) {
                throw new UnsupportedOperationException();
            }

            @Override
            @SuppressWarnings("deprecation") // still abstract in Config.Scope, so it must be implemented
            public Set<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Config.Scope root() {
                return this;
            }
        };
    }
}
