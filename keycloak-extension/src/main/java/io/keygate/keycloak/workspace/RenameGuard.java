package io.keygate.keycloak.workspace;

import io.keygate.core.WorkspaceLayout;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.GroupModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;
import org.keycloak.services.ErrorResponse;

/**
 * Refuses (HTTP 409, rolling the change back) renaming or moving the {@code /workspaces} root, a
 * workspace group or one of its role subgroups, wherever it is attempted (admin console, admin
 * REST API): a workspace name is its identity and cannot change. Keycloak fires the path-change
 * event inside the same transaction, so throwing here undoes the rename.
 */
public final class RenameGuard implements ProviderEventListener {

    private static final String ROOT = "/" + WorkspaceLayout.ROOT_GROUP;

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof GroupModel.GroupPathChangeEvent change && isProtected(change.getPreviousPath())
                && !change.getPreviousPath().equals(change.getNewPath())) {
            throw ErrorResponse.error("Workspace groups cannot be renamed or moved: " + change.getPreviousPath(),
                    Response.Status.CONFLICT);
        }
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
