package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;
import org.keycloak.services.ErrorResponse;

/**
 * Watches group membership changes made anywhere (keygate API, admin console, admin REST API).
 * On join it records grant metadata when none was written; on leave it drops the metadata and
 * refuses (HTTP 409, rolling back the change) when the last Admin of a workspace leaves its
 * {@code Admin} group. Keycloak fires the leave event after the row is deleted and flushed, so the
 * count of remaining Admins seen here already excludes the leaving user; a row lock on the Admin
 * group makes concurrent removals count one after the other. Deleting a user removes their
 * memberships in bulk without leave events, so the user's pre-removal event is checked too: the
 * last Admin of a workspace cannot be deleted until someone else is Admin there.
 */
public final class MembershipGuard implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(MembershipGuard.class);
    private static final String JPA_PROVIDER = "org.keycloak.connections.jpa.JpaConnectionProvider";

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof GroupModel.GroupMemberJoinEvent join) {
            onJoin(join);
        } else if (event instanceof GroupModel.GroupMemberLeaveEvent leave) {
            onLeave(leave);
        } else if (event instanceof UserModel.UserPreRemovedEvent removal) {
            onUserRemoval(removal);
        }
    }

    private void onJoin(GroupModel.GroupMemberJoinEvent join) {
        GroupModel group = join.getGroup();
        if (WorkspaceGroups.roleOf(group).isEmpty()) {
            return;
        }
        String key = Grant.attributeKey(join.getUser().getId());
        if (group.getFirstAttribute(key) == null) {
            group.setSingleAttribute(key, new Grant(Instant.now(), Grant.OUTSIDE_ACTOR).encode());
        }
    }

    private void onLeave(GroupModel.GroupMemberLeaveEvent leave) {
        GroupModel group = leave.getGroup();
        var role = WorkspaceGroups.roleOf(group);
        if (role.isEmpty()) {
            return;
        }
        group.removeAttribute(Grant.attributeKey(leave.getUser().getId()));
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
    }

    /**
     * Takes a database row lock on the Admin group, held until this transaction ends. Two
     * transactions removing the last two Admins (e.g. concurrent admin-console calls) are thereby
     * serialized: the second counts only after the first has committed, and sees its removal.
     */
    private static void lockAdminGroup(KeycloakSession session, GroupModel adminGroup) {
        EntityManager entityManager = entityManager(session);
        if (entityManager == null) {
            return;
        }
        entityManager.createQuery("select g.id from GroupEntity g where g.id = :id")
                .setParameter("id", adminGroup.getId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /**
     * Keycloak's JPA entity manager, or null on a store without one. Looked up by name because
     * keycloak-model-jpa cannot be a compile dependency (its parent POM is not on Maven Central).
     */
    private static EntityManager entityManager(KeycloakSession session) {
        try {
            Class<? extends Provider> type = Class.forName(JPA_PROVIDER, true, MembershipGuard.class.getClassLoader())
                    .asSubclass(Provider.class);
            Provider provider = session.getProvider(type);
            return provider == null ? null : (EntityManager) type.getMethod("getEntityManager").invoke(provider);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debugf(e, "No JPA entity manager; concurrent last-Admin checks are not serialized");
            return null;
        }
    }

    private static boolean noAdminLeft(KeycloakSession session, GroupModel.GroupMemberLeaveEvent leave) {
        return new Memberships(session, leave.getRealm()).adminCount(leave.getGroup(), 1) == 0;
    }
}
