package io.keygate.keycloak.workspace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RenameGuardTest {

    @Test
    void protectsTheRootWorkspacesAndRoleGroups() {
        assertTrue(RenameGuard.isProtected("/workspaces"));
        assertTrue(RenameGuard.isProtected("/workspaces/ml-team"));
        assertTrue(RenameGuard.isProtected("/workspaces/ml-team/Admin"));
    }

    @Test
    void leavesOtherGroupsAlone() {
        assertFalse(RenameGuard.isProtected("/workspaces-old"));
        assertFalse(RenameGuard.isProtected("/teams/ml"));
        assertFalse(RenameGuard.isProtected("/workspaces/ml-team/Admin/extra"));
        assertFalse(RenameGuard.isProtected(null));
    }
}
