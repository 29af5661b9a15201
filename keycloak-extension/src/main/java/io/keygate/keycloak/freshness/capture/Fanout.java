package io.keygate.keycloak.freshness.capture;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * Changes that reach many users at once (a group's role mappings, a role's composites): one
 * claims-change row per affected user, up to {@link #LIMIT} users per change (a warning beyond).
 */
final class Fanout {

    /** Largest number of users one change fans out to. */
    static final int LIMIT = 10_000;

    private static final Logger LOG = Logger.getLogger(Fanout.class);

    private final Outbox outbox;
    private final KeycloakSession session;
    private final RealmModel realm;
    private final Set<String> users = new HashSet<>();

    Fanout(Outbox outbox, KeycloakSession session, RealmModel realm) {
        this.outbox = outbox;
        this.session = session;
        this.realm = realm;
    }

    /** Every member of {@code group} and of its subgroups (they inherit its role mappings). */
    void groupMembers(GroupModel group) {
        Deque<GroupModel> pending = new ArrayDeque<>();
        pending.add(group);
        while (!pending.isEmpty()) {
            GroupModel next = pending.poll();
            for (UserModel member : (Iterable<UserModel>) session.users().getGroupMembersStream(realm, next)::iterator) {
                if (!add(member)) {
                    return;
                }
            }
            next.getSubGroupsStream().forEach(pending::add);
        }
    }

    /**
     * Every user who holds {@code role} through any path: directly, through a group, or through a
     * realm role that contains it as a composite (for instance the realm's default roles).
     */
    void roleHolders(RoleModel role) {
        realm.getRolesStream().filter(candidate -> candidate.equals(role) || candidate.hasRole(role)).toList().forEach(holder -> {
            for (UserModel user : (Iterable<UserModel>) session.users().getRoleMembersStream(realm, holder)::iterator) {
                if (!add(user)) {
                    return;
                }
            }
            session.groups().getGroupsByRoleStream(realm, holder, -1, -1).toList().forEach(this::groupMembers);
        });
    }

    private boolean add(UserModel user) {
        if (users.size() >= LIMIT) {
            LOG.warnf("A change in realm %s reaches more than %d users: only the first get a token-claims-change", realm.getName(), LIMIT);
            return false;
        }
        if (users.add(user.getId())) {
            outbox.claimsChanged(session, realm.getId(), user.getId());
        }
        return true;
    }
}
