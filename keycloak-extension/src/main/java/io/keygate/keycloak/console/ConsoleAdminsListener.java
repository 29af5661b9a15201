package io.keygate.keycloak.console;

import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Keeps {@link WorkspaceConsolePermissions} consistent however a workspace comes and goes: at start-up
 * (after realm import) and for each realm created or imported later, a full pass over the realm; in the
 * changing transaction, once just before it commits, for every workspace whose group or role groups it
 * created (keygate API or admin console) or whose group it updated (its deletion stage); and at once when a
 * workspace group is removed. Registered
 * after the workspace tree guard, so a refused removal never reaches it (and would be rolled back anyway).
 */
public final class ConsoleAdminsListener implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(ConsoleAdminsListener.class);

    private final KeycloakSessionFactory factory;
    private final ConsoleAdminSettings settings;

    public ConsoleAdminsListener(KeycloakSessionFactory factory, ConsoleAdminSettings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            List<String> realms = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    session -> session.realms().getRealmsStream().map(RealmModel::getId).toList());
            realms.forEach(this::reconcile);
            LOG.infof("keygate workspace console permissions %s in every realm", settings.enabled() ? "reconciled" : "removed");
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            new WorkspaceConsolePermissions(created.getKeycloakSession(), created.getCreatedRealm()).reconcile(settings.enabled());
        } else if (settings.enabled() && event instanceof GroupModel.GroupCreatedEvent created) {
            workspaceOf(created.getGroup()).ifPresent(ws -> sync(created.getKeycloakSession(), created.getRealm(), ws));
        } else if (settings.enabled() && event instanceof GroupModel.GroupUpdatedEvent updated
                && WorkspaceGroups.isWorkspaceGroup(updated.getGroup())) {
            sync(updated.getKeycloakSession(), updated.getRealm(), updated.getGroup());
        } else if (event instanceof GroupModel.GroupRemovedEvent removed && WorkspaceGroups.isWorkspaceGroup(removed.getGroup())) {
            new WorkspaceConsolePermissions(removed.getKeycloakSession(), removed.getRealm()).remove(removed.getGroup());
        }
    }

    /** One realm in a transaction of its own: a failure there is logged and leaves Keycloak starting, without these rights. */
    private void reconcile(String realmId) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm != null) {
                    new WorkspaceConsolePermissions(session, realm).reconcile(settings.enabled());
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not reconcile the workspace Admins' console permissions of realm %s", realmId);
        }
    }

    /** Once per workspace and transaction, just before it commits ({@link PendingSyncs}). */
    private static void sync(KeycloakSession session, RealmModel realm, GroupModel workspace) {
        PendingSyncs.add(session, realm, workspace);
    }

    /** The workspace group itself, or the workspace of a role group. */
    private static Optional<GroupModel> workspaceOf(GroupModel group) {
        if (WorkspaceGroups.isWorkspaceGroup(group)) {
            return Optional.of(group);
        }
        return WorkspaceGroups.roleOf(group).map(role -> group.getParent());
    }
}
