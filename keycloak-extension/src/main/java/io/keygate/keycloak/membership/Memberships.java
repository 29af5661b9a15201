package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.keycloak.binding.BindingEntity;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.binding.PrincipalKind;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Role bindings of users in one realm: membership in {@code /workspaces/<ws>/<Role>} (the truth
 * for decisions and tokens) plus one {@code KEYGATE_BINDING} row per binding (grant metadata and
 * history). Callers check permissions and the last-Admin rule first; {@link MembershipGuard}
 * checks that rule again for changes made anywhere else, and records rows for them.
 */
public final class Memberships {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final WorkspaceGroups groups;
    private final Bindings bindings;

    public Memberships(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.groups = new WorkspaceGroups(session, realm);
        this.bindings = new Bindings(session, realm);
    }

    /** The user's explicit bindings in one workspace as a member row (empty roles when none), read from their rows only. */
    public Member memberOf(UserModel user, GroupModel workspace) {
        return Member.of(Principals.nameOf(user), bindings.activeOf(workspace, PrincipalKind.USER, user.getId()), false);
    }

    /** Grants roles the user does not hold yet, recording who granted them and when. Returns the roles added. */
    public Set<Role> grant(UserModel user, GroupModel workspace, Set<Role> roles, Grant grant) {
        Set<Role> added = EnumSet.noneOf(Role.class);
        for (Role role : roles) {
            GroupModel roleGroup = groups.roleGroup(workspace, role);
            if (!user.isMemberOf(roleGroup)) {
                bindings.grant(workspace, role, PrincipalKind.USER, user.getId(), grant.grantedAt(), grant.grantedBy());
                user.joinGroup(roleGroup);
                added.add(role);
            }
        }
        return added;
    }

    /** Removes the given roles from the user, recording who revoked them. Returns the roles removed. */
    public Set<Role> revoke(UserModel user, GroupModel workspace, Set<Role> roles, String revokedBy) {
        Set<Role> removed = EnumSet.noneOf(Role.class);
        Instant now = now();
        for (Role role : roles) {
            groups.findRoleGroup(workspace, role).filter(user::isMemberOf).ifPresent(roleGroup -> {
                bindings.revoke(workspace, role, PrincipalKind.USER, user.getId(), now, revokedBy);
                user.leaveGroup(roleGroup);
                removed.add(role);
            });
        }
        return removed;
    }

    /** True when {@code user} is an Admin of the workspace and no other Admin exists. */
    public boolean isLastAdmin(UserModel user, GroupModel workspace) {
        return groups.findRoleGroup(workspace, Role.Admin)
                .map(admins -> isSoleAdmin(user, admins))
                .orElse(false);
    }

    /** True when {@code user} is the only member of the Admin group {@code admins}. */
    public boolean isSoleAdmin(UserModel user, GroupModel admins) {
        return user.isMemberOf(admins) && adminCount(admins, 2) < 2;
    }

    /** Number of members of an Admin group, counting no further than {@code limit}. */
    public long adminCount(GroupModel adminGroup, int limit) {
        return session.users().getGroupMembersStream(realm, adminGroup, 0, limit).count();
    }

    /** Roles removed by replacing {@code current} with {@code wanted}. */
    public static Set<Role> dropped(Set<Role> current, Set<Role> wanted) {
        Set<Role> dropped = EnumSet.noneOf(Role.class);
        dropped.addAll(current);
        dropped.removeAll(wanted);
        return dropped;
    }

    /** All roles: used to remove a member entirely. */
    public static Set<Role> allRoles() {
        return EnumSet.allOf(Role.class);
    }

    /** The current time for grant and workspace metadata. */
    public static Instant now() {
        return Instant.now();
    }

    /** Roles named by a list of rows. */
    static TreeSet<Role> rolesOf(List<BindingEntity> rows) {
        TreeSet<Role> roles = new TreeSet<>();
        rows.forEach(row -> Role.parse(row.getRole()).ifPresent(roles::add));
        return roles;
    }
}
