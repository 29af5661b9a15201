package io.keygate.keycloak.workspace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkspaceTreeGuardTest {

    @Test
    void protectsTheRootWorkspacesAndRoleGroups() {
        assertTrue(WorkspaceTreeGuard.isProtected("/workspaces"));
        assertTrue(WorkspaceTreeGuard.isProtected("/workspaces/ml-team"));
        assertTrue(WorkspaceTreeGuard.isProtected("/workspaces/ml-team/Admin"));
    }

    @Test
    void leavesOtherGroupsAlone() {
        assertFalse(WorkspaceTreeGuard.isProtected("/workspaces-old"));
        assertFalse(WorkspaceTreeGuard.isProtected("/teams/ml"));
        assertFalse(WorkspaceTreeGuard.isProtected("/workspaces/ml-team/Admin/extra"));
        assertFalse(WorkspaceTreeGuard.isProtected(null));
    }
}
