package io.keygate.keycloak.console;

import io.keygate.keycloak.workspace.WholeModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The workspaces whose console permissions one transaction must bring in line, synced once each in the
 * transaction's prepare phase, before the database commit. Creating a workspace fires a group event for
 * the workspace group, each role group and each attribute set on it; syncing at every one of them rewrote
 * the same permissions several times per create (and their resources as each role group appeared).
 */
final class PendingSyncs extends AbstractKeycloakTransaction {

    private static final String SESSION_ATTRIBUTE = PendingSyncs.class.getName();

    private final KeycloakSession session;
    /** Workspace group id → realm id, in the order first seen. */
    private final Map<String, String> workspaces = new LinkedHashMap<>();

    private PendingSyncs(KeycloakSession session) {
        this.session = session;
    }

    /** Records that {@code workspace} needs a sync before this session's transaction commits. */
    static void add(KeycloakSession session, RealmModel realm, GroupModel workspace) {
        PendingSyncs pending = (PendingSyncs) session.getAttribute(SESSION_ATTRIBUTE);
        if (pending == null) {
            pending = new PendingSyncs(session);
            session.setAttribute(SESSION_ATTRIBUTE, pending);
            session.getTransactionManager().enlistPrepare(pending);
        }
        pending.workspaces.putIfAbsent(workspace.getId(), realm.getId());
    }

    @Override
    protected void commitImpl() {
        session.removeAttribute(SESSION_ATTRIBUTE);
        WholeModel.run(session, () -> workspaces.forEach((groupId, realmId) -> {
            RealmModel realm = session.realms().getRealm(realmId);
            GroupModel workspace = realm == null ? null : session.groups().getGroupById(realm, groupId);
            if (workspace != null) {
                new WorkspaceConsolePermissions(session, realm).sync(workspace);
            }
        }));
    }

    @Override
    protected void rollbackImpl() {
        session.removeAttribute(SESSION_ATTRIBUTE);
    }
}
