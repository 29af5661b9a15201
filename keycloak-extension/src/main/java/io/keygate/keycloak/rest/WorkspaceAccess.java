package io.keygate.keycloak.rest;

import io.keygate.core.ApiException;
import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.util.Optional;
import org.keycloak.models.GroupModel;

/**
 * Who may do what to a workspace, decided from the caller's live state. Security contract:
 * a workspace that does not exist, or is in deletion (for anyone but a PlatformAdmin), is 404;
 * one the caller has no role in is 403; changes need Admin or PlatformAdmin, and {@code system}
 * is changed only by a PlatformAdmin.
 */
final class WorkspaceAccess {

    private final WorkspaceGroups groups;
    private final RoleResolver resolver;
    private final Caller caller;

    WorkspaceAccess(WorkspaceGroups groups, RoleResolver resolver, Caller caller) {
        this.groups = groups;
        this.resolver = resolver;
        this.caller = caller;
    }

    /** The workspace if the caller may read it: 404 when missing (or in deletion), 403 when invisible. */
    GroupModel visibleWorkspace(String name) {
        GroupModel group = existing(name, false);
        if (!caller.platformAdmin() && resolver.effectiveRoleIn(caller.user(), group).isEmpty()) {
            throw ApiException.forbidden("You do not have access to workspace '" + name + "'");
        }
        return group;
    }

    /** The workspace if the caller may change it (Admin or PlatformAdmin; {@code system}: PlatformAdmin only). */
    GroupModel adminWorkspace(String name, boolean includeInDeletion) {
        GroupModel group = existing(name, includeInDeletion);
        if (caller.platformAdmin()) {
            return group;
        }
        Optional<Role> role = resolver.effectiveRoleIn(caller.user(), group);
        if (role.isEmpty()) {
            throw ApiException.forbidden("You do not have access to workspace '" + name + "'");
        }
        if (WorkspaceLayout.SYSTEM_WORKSPACE.equals(name)) {
            throw ApiException.forbidden("Only a PlatformAdmin may change the system workspace");
        }
        if (!role.get().includes(Role.Admin)) {
            throw ApiException.forbidden("This requires the Admin role in workspace '" + name + "'; you have " + role.get());
        }
        return group;
    }

    private GroupModel existing(String name, boolean includeInDeletion) {
        GroupModel group = groups.find(name).orElseThrow(() -> workspaceNotFound(name));
        boolean hidden = !includeInDeletion && !caller.platformAdmin()
                && group.getFirstAttribute(WorkspaceLayout.ATTR_DELETION_STAGE) != null;
        if (hidden) {
            throw workspaceNotFound(name);
        }
        return group;
    }

    private static ApiException workspaceNotFound(String name) {
        return ApiException.notFound("Workspace '" + name + "' not found");
    }

    static void refuseBuiltIn(String name, String action) {
        if (WorkspaceLayout.isBuiltIn(name)) {
            throw ApiException.conflict("The built-in workspace '" + name + "' cannot be " + action);
        }
    }
}
