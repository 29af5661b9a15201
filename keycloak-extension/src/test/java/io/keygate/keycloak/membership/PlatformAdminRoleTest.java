package io.keygate.keycloak.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.core.WorkspaceLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class PlatformAdminRoleTest {

    private static final String PREFIX = "keygate-test.platform-admin-role.";

    @AfterEach
    void clear() {
        System.clearProperty(PREFIX + PlatformAdminRole.PROPERTY);
    }

    @Test
    void absentOrBlankIsTheSharedDefault() {
        assertEquals(WorkspaceLayout.PLATFORM_ADMIN_ROLE, PlatformAdminRole.from(new Config.SystemPropertiesScope(PREFIX)).name());
        System.setProperty(PREFIX + PlatformAdminRole.PROPERTY, "  ");
        assertEquals(WorkspaceLayout.PLATFORM_ADMIN_ROLE, PlatformAdminRole.from(new Config.SystemPropertiesScope(PREFIX)).name());
    }

    @Test
    void aConfiguredRoleIsRead() {
        System.setProperty(PREFIX + PlatformAdminRole.PROPERTY, " root ");
        assertEquals("root", PlatformAdminRole.from(new Config.SystemPropertiesScope(PREFIX)).name());
    }

    @Test
    void theMetadataDeclaresTheOneProperty() {
        assertEquals(PlatformAdminRole.PROPERTY, PlatformAdminRole.configMetadata().get(0).getName());
        assertEquals(WorkspaceLayout.PLATFORM_ADMIN_ROLE, PlatformAdminRole.configMetadata().get(0).getDefaultValue());
    }
}
