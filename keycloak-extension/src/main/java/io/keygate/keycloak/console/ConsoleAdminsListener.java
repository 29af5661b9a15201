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
 * changing transaction, when one of a workspace's role groups is created (keygate API or admin console),
 * when an update of a workspace group changes whether it is eligible (its deletion stage) and when a
 * workspace group is removed. Registered after the workspace tree guard, so a refused removal never reaches it (and would be rolled back anyway).
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
            roleGroupsWorkspace(created.getGroup()).ifPresent(ws -> sync(created.getKeycloakSession(), created.getRealm(), ws));
        } else if (settings.enabled() && event instanceof GroupModel.GroupUpdatedEvent updated
                && WorkspaceGroups.isWorkspaceGroup(updated.getGroup())) {
            // every attribute write fires this; only a change of eligibility (a deletion stage) matters here
            WorkspaceConsolePermissions permissions = new WorkspaceConsolePermissions(updated.getKeycloakSession(), updated.getRealm());
            if (!permissions.inLine(updated.getGroup())) {
                permissions.sync(updated.getGroup());
            }
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

    private static void sync(KeycloakSession session, RealmModel realm, GroupModel workspace) {
        new WorkspaceConsolePermissions(session, realm).sync(workspace);
    }

    /**
     * The workspace of a new role group: its permissions name the role groups, so each new one is added. A new
     * workspace group has none yet, so there is nothing to do for it.
     */
    private static Optional<GroupModel> roleGroupsWorkspace(GroupModel group) {
        return WorkspaceGroups.roleOf(group).map(role -> group.getParent());
    }
}
