package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.binding.PrincipalKind;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import io.keygate.keycloak.workspace.WorkspaceRowLock;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;
import org.keycloak.services.ErrorResponse;

/**
 * Watches group membership changes made anywhere (keygate API, admin console, admin REST API).
 * On join it records a binding row when none was written (granted by the admin whose bearer token
 * authenticated the admin request, else {@code keycloak-admin}; in a realm not migrated yet, e.g.
 * during its import, the start-up migration records it instead); on leave it revokes the row and
 * refuses (HTTP 409, rolling back the change) when the last Admin of a workspace leaves its
 * {@code Admin} group. Keycloak fires the leave event after the row is deleted and flushed, so the
 * count of remaining Admins seen here already excludes the leaving user; a row lock on the Admin
 * group (after the workspace group's, {@link WorkspaceRowLock}) makes concurrent removals count one
 * after the other. Deleting a user removes their
 * memberships in bulk without leave events, so the user's pre-removal event is checked too: the
 * last Admin of a workspace cannot be deleted until someone else is Admin there; once allowed,
 * the user's binding rows are revoked. Removing a realm deletes its rows.
 */
public final class MembershipGuard implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(MembershipGuard.class);

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof GroupModel.GroupMemberJoinEvent join) {
            onJoin(join);
        } else if (event instanceof GroupModel.GroupMemberLeaveEvent leave) {
            onLeave(leave);
        } else if (event instanceof UserModel.UserPreRemovedEvent removal) {
            onUserRemoval(removal);
        } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
            new Bindings(removed.getKeycloakSession(), removed.getRealm()).deleteRealm();
        }
    }

    private void onJoin(GroupModel.GroupMemberJoinEvent join) {
        GroupModel group = join.getGroup();
        Optional<Role> role = WorkspaceGroups.roleOf(group);
        if (role.isEmpty()) {
            return;
        }
        KeycloakSession session = join.getKeycloakSession();
        Bindings bindings = new Bindings(session, join.getRealm());
        if (!bindings.migrated()) {
            return;
        }
        String legacyKey = Grant.attributeKey(join.getUser().getId());
        String legacy = group.getFirstAttribute(legacyKey);
        Grant grant = Grant.decode(legacy).orElseGet(() -> new Grant(Instant.now(), requestActor(session)));
        bindings.grant(group.getParent(), role.get(), PrincipalKind.USER, join.getUser().getId(), grant.grantedAt(), grant.grantedBy());
        if (legacy != null) {
            group.removeAttribute(legacyKey);
        }
    }

    private void onLeave(GroupModel.GroupMemberLeaveEvent leave) {
        GroupModel group = leave.getGroup();
        var role = WorkspaceGroups.roleOf(group);
        if (role.isEmpty()) {
            return;
        }
        KeycloakSession session = leave.getKeycloakSession();
        new Bindings(session, leave.getRealm()).revoke(group.getParent(), role.get(), PrincipalKind.USER,
                leave.getUser().getId(), Instant.now(), requestActor(session));
        if (group.getFirstAttribute(Grant.attributeKey(leave.getUser().getId())) != null) {
            group.removeAttribute(Grant.attributeKey(leave.getUser().getId()));
        }
        if (role.get() != Role.Admin) {
            return;
        }
        lockAdminGroup(leave.getKeycloakSession(), group);
        if (noAdminLeft(leave.getKeycloakSession(), leave)) {
            String workspace = group.getParent().getName();
            LOG.infof("Refused removing the last Admin %s of workspace %s", leave.getUser().getUsername(), workspace);
            throw ErrorResponse.error("Cannot remove the last Admin of workspace '" + workspace
                    + "': add another Admin first", Response.Status.CONFLICT);
        }
    }

    private void onUserRemoval(UserModel.UserPreRemovedEvent removal) {
        KeycloakSession session = removal.getKeycloakSession();
        UserModel user = removal.getUser();
        Memberships memberships = new Memberships(session, removal.getRealm());
        user.getGroupsStream()
                .filter(group -> WorkspaceGroups.roleOf(group).filter(role -> role == Role.Admin).isPresent())
                .toList()
                .forEach(adminGroup -> {
                    lockAdminGroup(session, adminGroup);
                    if (memberships.isSoleAdmin(user, adminGroup)) {
                        String workspace = adminGroup.getParent().getName();
                        LOG.infof("Refused deleting user %s, the last Admin of workspace %s", user.getUsername(), workspace);
                        throw ErrorResponse.error("Cannot delete user '" + user.getUsername() + "': they are the last Admin of workspace '"
                                + workspace + "'; make someone else Admin there first", Response.Status.CONFLICT);
                    }
                });
        new Bindings(session, removal.getRealm()).revokeUser(user.getId(), Instant.now(), requestActor(session));
    }

    /**
     * Who made the current request: the user of the bearer token that authenticated an admin REST
     * (console) call, which Keycloak puts in the session context before the change runs, so it is
     * known inside the transaction (the admin event with its auth details is only sent after the
     * change). {@code keycloak-admin} when there is none (start-up import, a login flow).
     */
    static String requestActor(KeycloakSession session) {
        try {
            KeycloakContext context = session.getContext();
            UserModel actor = context.getBearerToken() == null ? null : context.getUser();
            return actor == null ? Grant.OUTSIDE_ACTOR : Principals.nameOf(actor);
        } catch (RuntimeException e) {
            LOG.debugf(e, "No request actor; recording %s", Grant.OUTSIDE_ACTOR);
            return Grant.OUTSIDE_ACTOR;
        }
    }

    /**
     * Takes database row locks on the workspace group and then on its Admin group, held until this
     * transaction ends, in the order every keygate write uses ({@link WorkspaceRowLock}). Two
     * transactions removing the last two Admins (e.g. concurrent admin-console calls on two nodes)
     * are thereby serialized: the second counts only after the first has committed, and sees its removal.
     */
    private static void lockAdminGroup(KeycloakSession session, GroupModel adminGroup) {
        WorkspaceRowLock locks = new WorkspaceRowLock(session);
        locks.lock(adminGroup.getParent());
        locks.lock(adminGroup);
    }

    private static boolean noAdminLeft(KeycloakSession session, GroupModel.GroupMemberLeaveEvent leave) {
        return new Memberships(session, leave.getRealm()).adminCount(leave.getGroup(), 1) == 0;
    }
}
