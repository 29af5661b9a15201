package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.keycloak.workspace.Workspace;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Role bindings of users in one realm: membership in {@code /workspaces/<ws>/<Role>} plus the
 * grant metadata on the role group. Callers check permissions and the last-Admin rule first;
 * {@link MembershipGuard} checks that rule again for changes made anywhere else.
 */
public final class Memberships {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final WorkspaceGroups groups;

    public Memberships(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.groups = new WorkspaceGroups(session, realm);
    }

    /** Explicit members of a workspace with all the roles each holds, keyed by user id. */
    public Map<String, Member> members(GroupModel workspace) {
        Map<String, Member> members = new LinkedHashMap<>();
        Grant fallback = new Grant(Workspace.of(workspace).createdAt(), Grant.OUTSIDE_ACTOR);
        for (Role role : Role.values()) {
            groups.findRoleGroup(workspace, role).ifPresent(roleGroup ->
                    session.users().getGroupMembersStream(realm, roleGroup).forEach(user -> {
                        Grant grant = Grant.decode(roleGroup.getFirstAttribute(Grant.attributeKey(user.getId()))).orElse(fallback);
                        members.merge(user.getId(), member(user, role, grant), Memberships::mergeMember);
                    }));
        }
        return members;
    }

    /** Grants roles the user does not hold yet, recording who granted them and when. Returns the roles added. */
    public Set<Role> grant(UserModel user, GroupModel workspace, Set<Role> roles, Grant grant) {
        Set<Role> added = EnumSet.noneOf(Role.class);
        for (Role role : roles) {
            GroupModel roleGroup = groups.roleGroup(workspace, role);
            if (!user.isMemberOf(roleGroup)) {
                roleGroup.setSingleAttribute(Grant.attributeKey(user.getId()), grant.encode());
                user.joinGroup(roleGroup);
                added.add(role);
            }
        }
        return added;
    }

    /** Removes the given roles from the user. Returns the roles removed. */
    public Set<Role> revoke(UserModel user, GroupModel workspace, Set<Role> roles) {
        Set<Role> removed = EnumSet.noneOf(Role.class);
        for (Role role : roles) {
            groups.findRoleGroup(workspace, role).filter(user::isMemberOf).ifPresent(roleGroup -> {
                user.leaveGroup(roleGroup);
                roleGroup.removeAttribute(Grant.attributeKey(user.getId()));
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

    private static Member member(UserModel user, Role role, Grant grant) {
        return new Member(Principals.nameOf(user), new TreeSet<>(List.of(role)), grant, false);
    }

    private static Member mergeMember(Member a, Member b) {
        TreeSet<Role> roles = new TreeSet<>(a.roles());
        roles.addAll(b.roles());
        return new Member(a.principal(), roles, Grant.earliest(a.grant(), b.grant()), false);
    }
}
