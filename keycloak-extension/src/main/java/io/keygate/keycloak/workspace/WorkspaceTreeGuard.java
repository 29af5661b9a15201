package io.keygate.keycloak.workspace;

import io.keygate.core.WorkspaceLayout;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;
import org.keycloak.services.ErrorResponse;

/**
 * Keeps the shape of the workspace group tree wherever it is changed (admin console, admin REST
 * API): the {@code /workspaces} root, a workspace group and its role subgroups can be neither
 * renamed, moved nor deleted there. Deleting a workspace goes through the keygate API, which
 * checks the built-ins, the caller's rights and (in the gateway) the workspace's resources; it
 * marks its own deletion with {@link WorkspaceGroups#remove}, which this guard lets through.
 * Keycloak fires both events inside the changing transaction, before a group row is deleted, so
 * throwing here answers 409 and undoes the whole change, memberships included. An update of a
 * workspace group there that changes its wildcard role invalidates the {@link WildcardCache}.
 */
public final class WorkspaceTreeGuard implements ProviderEventListener {

    private static final String ROOT = "/" + WorkspaceLayout.ROOT_GROUP;

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof GroupModel.GroupPathChangeEvent change && isProtected(change.getPreviousPath())
                && !change.getPreviousPath().equals(change.getNewPath())) {
            throw conflict("Workspace groups cannot be renamed or moved: " + change.getPreviousPath());
        }
        if (event instanceof GroupModel.GroupRemovedEvent removed && !removedByKeygate(removed)) {
            refuseRemoval(removed.getGroup());
        }
        if (event instanceof GroupModel.GroupUpdatedEvent updated && WorkspaceGroups.isWorkspaceGroup(updated.getGroup())) {
            WildcardCache.invalidateIfChanged(updated.getRealm(), updated.getGroup());
        }
    }

    private static void refuseRemoval(GroupModel group) {
        if (group.getParentId() == null && WorkspaceLayout.ROOT_GROUP.equals(group.getName())) {
            throw conflict("The " + ROOT + " group holds every workspace and cannot be deleted");
        }
        if (WorkspaceGroups.isWorkspaceGroup(group)) {
            String name = group.getName();
            throw conflict(WorkspaceLayout.isBuiltIn(name)
                    ? "Workspace '" + name + "' is built in and cannot be deleted"
                    : "Workspace '" + name + "' cannot be deleted here: delete it through the keygate API"
                            + " (DELETE /apis/entities/v2/workspaces/" + name + "), which first checks that it holds no resources");
        }
        WorkspaceGroups.roleOf(group).ifPresent(role -> {
            throw conflict("The " + role + " group of workspace '" + group.getParent().getName()
                    + "' cannot be deleted: change the workspace's members instead");
        });
    }

    /** The group, or its parent, is the workspace the keygate API is deleting in this session. */
    private static boolean removedByKeygate(GroupModel.GroupRemovedEvent removed) {
        KeycloakSession session = removed.getKeycloakSession();
        Object deleting = session == null ? null : session.getAttribute(WorkspaceGroups.DELETING_ATTRIBUTE);
        GroupModel group = removed.getGroup();
        return deleting != null && (deleting.equals(group.getId()) || Objects.equals(deleting, group.getParentId()));
    }

    private static RuntimeException conflict(String message) {
        return ErrorResponse.error(message, Response.Status.CONFLICT);
    }

    /** The root, a workspace group or a role subgroup: {@code /workspaces}, {@code /workspaces/x}, {@code /workspaces/x/Admin}. */
    static boolean isProtected(String path) {
        if (path == null || !(path.equals(ROOT) || path.startsWith(ROOT + "/"))) {
            return false;
        }
        long depth = path.chars().filter(c -> c == '/').count();
        return depth <= 3;
    }
}
