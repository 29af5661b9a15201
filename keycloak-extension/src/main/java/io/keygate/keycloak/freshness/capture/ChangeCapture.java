package io.keygate.keycloak.freshness.capture;

import io.keygate.core.WorkspaceLayout;
import io.keygate.core.events.SecurityEvents;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Turns Keycloak's model events into outbox rows, inside the transaction that makes the change,
 * whoever makes it (keygate API, admin console, any admin REST client):
 * <ul>
 *   <li>group join / leave, realm or client role granted to / revoked from a user, organization
 *       join / leave: the user's claims changed;</li>
 *   <li>a workspace group updated (wildcard, deletion stage) or removed: a workspace change;</li>
 *   <li>another group updated (e.g. a role mapping such as {@code platform-admin} added or removed):
 *       the claims of every member of it and its subgroups (see {@link Fanout});</li>
 *   <li>a user about to be deleted: all their sessions revoked.</li>
 * </ul>
 * Workspace role groups and the {@code /workspaces} root are skipped on update: their attribute
 * writes are grant metadata, and the membership itself fires join / leave.
 */
public final class ChangeCapture implements ProviderEventListener {

    private final Outbox outbox;

    public ChangeCapture(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof GroupModel.GroupMemberJoinEvent join) {
            claims(join.getKeycloakSession(), join.getRealm(), join.getUser());
        } else if (event instanceof GroupModel.GroupMemberLeaveEvent leave) {
            claims(leave.getKeycloakSession(), leave.getRealm(), leave.getUser());
        } else if (event instanceof RoleModel.RoleGrantedEvent granted) {
            claims(granted.getKeycloakSession(), granted.getRealm(), granted.getUser());
        } else if (event instanceof RoleModel.RoleRevokedEvent revoked) {
            claims(revoked.getKeycloakSession(), revoked.getRealm(), revoked.getUser());
        } else if (event instanceof OrganizationModel.OrganizationMembershipEvent membership) {
            onOrganizationMembership(membership);
        } else if (event instanceof GroupModel.GroupUpdatedEvent updated) {
            onGroupUpdated(updated.getKeycloakSession(), updated.getRealm(), updated.getGroup());
        } else if (event instanceof GroupModel.GroupRemovedEvent removed) {
            onGroupRemoved(removed.getKeycloakSession(), removed.getRealm(), removed.getGroup());
        } else if (event instanceof UserModel.UserPreRemovedEvent removal) {
            outbox.sessionRevoked(removal.getKeycloakSession(), removal.getRealm().getId(), removal.getUser().getId(),
                    null, SecurityEvents.REASON_USER_DELETED);
        }
    }

    private void claims(KeycloakSession session, RealmModel realm, UserModel user) {
        if (realm != null && user != null) {
            outbox.claimsChanged(session, realm.getId(), user.getId());
        }
    }

    private void onOrganizationMembership(OrganizationModel.OrganizationMembershipEvent membership) {
        KeycloakSession session = membership.getSession();
        RealmModel realm = session.getContext().getRealm();
        claims(session, realm, membership.getUser());
    }

    private void onGroupUpdated(KeycloakSession session, RealmModel realm, GroupModel group) {
        if (WorkspaceGroups.isWorkspaceGroup(group)) {
            outbox.workspaceChanged(session, realm.getId(), group.getName());
        } else if (!isWorkspaceTree(group)) {
            new Fanout(outbox, session, realm).groupMembers(group);
        }
    }

    private void onGroupRemoved(KeycloakSession session, RealmModel realm, GroupModel group) {
        if (WorkspaceGroups.isWorkspaceGroup(group)) {
            outbox.workspaceChanged(session, realm.getId(), group.getName());
        }
    }

    /** The {@code /workspaces} root and the role subgroups: their updates are not claim changes. */
    private static boolean isWorkspaceTree(GroupModel group) {
        boolean root = group.getParentId() == null && WorkspaceLayout.ROOT_GROUP.equals(group.getName());
        return root || WorkspaceGroups.roleOf(group).isPresent();
    }
}
