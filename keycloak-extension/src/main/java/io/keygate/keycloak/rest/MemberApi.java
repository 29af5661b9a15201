package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.core.ApiException;
import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.api.MemberBody;
import io.keygate.keycloak.binding.BindingEntity;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.binding.PrincipalKind;
import io.keygate.keycloak.membership.Grant;
import io.keygate.keycloak.membership.Member;
import io.keygate.keycloak.membership.Memberships;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.pending.PendingGrants;
import io.keygate.keycloak.workspace.WildcardCache;
import io.keygate.keycloak.workspace.Workspace;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The members API over one Keycloak session: explicit bindings, the wildcard {@code *} and
 * pending grants. Reads need any role in the workspace; changes need Admin or PlatformAdmin
 * ({@link WorkspaceAccess}); the last Admin cannot be removed or demoted (409); the wildcard may
 * be Viewer or Editor only and is fixed on built-ins. Mutating methods expect to run inside the
 * workspace's lock, in a transaction of their own.
 */
final class MemberApi {

    /** Default member order: the wildcard first, then principals alphabetically. */
    static final String MEMBER_ORDER = "principal";

    private final RealmModel realm;
    private final Caller caller;
    private final WorkspaceGroups groups;
    private final RoleResolver resolver;
    private final Memberships memberships;
    private final PendingGrants pending;
    private final Bindings bindings;
    private final Principals principals;
    private final WorkspaceAccess access;
    private final AdminEvents events;
    private final Set<String> changedSubjects;

    /** @param changedSubjects collects the ids of users whose memberships a write changed (for the propagation wait) */
    MemberApi(KeycloakSession session, RealmModel realm, Caller caller, AdminEvents events, Set<String> changedSubjects) {
        this.realm = realm;
        this.caller = caller;
        this.groups = new WorkspaceGroups(session, realm);
        this.resolver = new RoleResolver(session, realm);
        this.memberships = new Memberships(session, realm);
        this.pending = new PendingGrants(session, realm);
        this.bindings = new Bindings(session, realm);
        this.principals = new Principals(session, realm);
        this.access = new WorkspaceAccess(groups, resolver, caller);
        this.events = events;
        this.changedSubjects = changedSubjects;
    }

    /**
     * Members of a workspace, paged in the database over the active binding rows (never the whole
     * list in memory); {@code sort} by created_at/updated_at orders by each principal's first grant.
     * The wildcard's role is read from the workspace attribute tokens use, so a console edit of it
     * shows here too.
     */
    Object listMembers(String name, PageRequest page) {
        GroupModel group = access.visibleWorkspace(name);
        int total = Math.toIntExact(bindings.countPrincipals(group));
        List<Bindings.PrincipalRow> principals = bindings.principalPage(group, !page.sort().equals(MEMBER_ORDER),
                page.descending(), page.offset(), page.pageSize());
        Map<String, List<BindingEntity>> rows = new HashMap<>();
        bindings.activeOf(group, principals.stream().map(Bindings.PrincipalRow::principal).toList())
                .forEach(row -> rows.computeIfAbsent(row.getPrincipal(), key -> new ArrayList<>()).add(row));
        List<Member> members = principals.stream()
                .flatMap(row -> row.kind() == PrincipalKind.WILDCARD
                        ? wildcardMember(group).stream()
                        : Stream.of(Member.of(row.name(), rows.getOrDefault(row.principal(), List.of()), row.kind() == PrincipalKind.PENDING_EMAIL)))
                .toList();
        return page.result(members, total, Member::toJson);
    }

    Object addMember(String name, JsonNode body) {
        String principal = Bodies.requiredString(body, "principal").trim();
        if (principal.isEmpty()) {
            throw ApiException.unprocessable("'principal' must be an email address, a username or '*'");
        }
        Set<Role> roles = Bodies.rolesOrDefault(body);
        GroupModel group = access.adminWorkspace(name, false);
        Grant grant = new Grant(Instant.now(), caller.principal());
        if (WorkspaceLayout.WILDCARD_PRINCIPAL.equals(principal)) {
            Role current = wildcardRole(group).orElse(null);
            return setWildcard(group, Role.highest(current, wildcardRoleFrom(roles)), grant, OperationType.CREATE);
        }
        Optional<UserModel> user = principals.find(principal);
        if (user.isEmpty()) {
            Set<Role> merged = new TreeSet<>(roles);
            pending.find(group, principal).ifPresent(existing -> merged.addAll(existing.roles()));
            return putPending(group, requireEmail(principal), merged, grant, OperationType.CREATE);
        }
        Set<Role> added = memberships.grant(user.get(), group, roles, grant);
        Member member = memberOf(group, user.get());
        for (Role role : added) {
            emitMembership(OperationType.CREATE, user.get(), group, role, member);
        }
        return member.toJson();
    }

    Object replaceMember(String name, String principal, JsonNode body) {
        return replaceRoles(name, principal, Bodies.roles(body));
    }

    /**
     * Revokes one role of a principal (a role binding), through the same rules as any member
     * change: the principal's other roles stay; revoking its only role removes the member; the
     * last Admin cannot be revoked (409).
     */
    void revokeRole(String name, String principal, Role role) {
        GroupModel group = access.adminWorkspace(name, false);
        Set<Role> current = currentRoles(group, principal);
        if (!current.contains(role)) {
            throw ApiException.notFound("'" + principal + "' does not hold " + role + " in workspace '" + name + "'");
        }
        Set<Role> remaining = new TreeSet<>(current);
        remaining.remove(role);
        if (remaining.isEmpty()) {
            removeMember(name, principal);
        } else {
            replaceRoles(name, principal, remaining);
        }
    }

    private Set<Role> currentRoles(GroupModel group, String principal) {
        if (WorkspaceLayout.WILDCARD_PRINCIPAL.equals(principal)) {
            return wildcardRole(group).map(Set::of).orElse(Set.of());
        }
        Optional<UserModel> user = principals.find(principal);
        if (user.isPresent()) {
            return resolver.explicitRolesIn(user.get(), group);
        }
        return pending.find(group, principal).<Set<Role>>map(Member::roles).orElse(Set.of());
    }

    private Object replaceRoles(String name, String principal, Set<Role> roles) {
        GroupModel group = access.adminWorkspace(name, false);
        Grant grant = new Grant(Instant.now(), caller.principal());
        if (WorkspaceLayout.WILDCARD_PRINCIPAL.equals(principal)) {
            if (wildcardRole(group).isEmpty()) {
                throw notMember(principal, name);
            }
            return setWildcard(group, wildcardRoleFrom(roles), grant, OperationType.UPDATE);
        }
        Optional<UserModel> user = principals.find(principal);
        if (user.isEmpty()) {
            if (pending.find(group, principal).isEmpty()) {
                throw unknownPrincipalOrNotMember(principal, name);
            }
            return putPending(group, principal, roles, grant, OperationType.UPDATE);
        }
        Set<Role> current = resolver.explicitRolesIn(user.get(), group);
        if (current.isEmpty()) {
            throw notMember(principal, name);
        }
        Set<Role> dropped = Memberships.dropped(current, roles);
        if (dropped.contains(Role.Admin) && memberships.isLastAdmin(user.get(), group)) {
            throw lastAdmin(name);
        }
        Set<Role> added = memberships.grant(user.get(), group, roles, grant);
        memberships.revoke(user.get(), group, dropped, caller.principal());
        Member member = memberOf(group, user.get());
        for (Role role : added) {
            emitMembership(OperationType.CREATE, user.get(), group, role, member);
        }
        for (Role role : dropped) {
            emitMembership(OperationType.DELETE, user.get(), group, role, member);
        }
        return member.toJson();
    }

    void removeMember(String name, String principal) {
        GroupModel group = access.adminWorkspace(name, false);
        if (WorkspaceLayout.WILDCARD_PRINCIPAL.equals(principal)) {
            removeWildcard(group);
            return;
        }
        Optional<UserModel> user = principals.find(principal);
        if (user.isEmpty()) {
            if (!pending.remove(group, principal, caller.principal())) {
                throw unknownPrincipalOrNotMember(principal, name);
            }
            events.emit(OperationType.DELETE, ResourceType.GROUP, "groups/" + group.getId(),
                    Map.of("principal", principal, "pending", true));
            return;
        }
        Set<Role> current = resolver.explicitRolesIn(user.get(), group);
        if (current.isEmpty()) {
            throw notMember(principal, name);
        }
        if (current.contains(Role.Admin) && memberships.isLastAdmin(user.get(), group)) {
            throw lastAdmin(name);
        }
        Member before = memberOf(group, user.get());
        for (Role role : memberships.revoke(user.get(), group, current, caller.principal())) {
            emitMembership(OperationType.DELETE, user.get(), group, role, before);
        }
    }

    private static ApiException lastAdmin(String workspace) {
        return ApiException.conflict("Cannot remove or demote the last Admin of workspace '" + workspace
                + "': add another Admin first");
    }

    private static ApiException notMember(String principal, String workspace) {
        return ApiException.notFound("'" + principal + "' is not a member of workspace '" + workspace + "'");
    }

    private ApiException unknownPrincipalOrNotMember(String principal, String workspace) {
        if (Principals.isEmail(principal)) {
            return notMember(principal, workspace);
        }
        return ApiException.notFound("No user or service account named '" + principal + "' exists in realm '" + realm.getName() + "'");
    }

    private String requireEmail(String principal) {
        if (!Principals.isEmail(principal)) {
            throw ApiException.notFound("No user or service account named '" + principal + "' exists in realm '"
                    + realm.getName() + "'; a principal is an email address, a username or '*'");
        }
        return principal;
    }

    /** The user's member row, read from their own binding rows only (a write never re-reads the member list). */
    private Member memberOf(GroupModel group, UserModel user) {
        return memberships.memberOf(user, group);
    }

    private void emitMembership(OperationType operation, UserModel user, GroupModel workspace, Role role, Member member) {
        String roleGroupId = groups.findRoleGroup(workspace, role).map(GroupModel::getId).orElse(workspace.getId());
        MemberBody body = member.body();
        var representation = new MembershipEvent(body.principal(), body.roles(), body.granted_at(), body.granted_by(),
                workspace.getName(), role.name());
        events.emit(operation, ResourceType.GROUP_MEMBERSHIP, "users/" + user.getId() + "/groups/" + roleGroupId, representation);
        changedSubjects.add(user.getId());
    }

    /** The admin event's representation of one role granted or revoked: the member row, the workspace and the role. */
    private record MembershipEvent(String principal, List<String> roles, String granted_at, String granted_by, String workspace,
                                   String role) {
    }

    // ---- wildcard and pending

    private static Optional<Role> wildcardRole(GroupModel group) {
        return Role.parse(group.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE));
    }

    private static Role wildcardRoleFrom(Set<Role> roles) {
        Role highest = Role.highest(roles).orElseThrow();
        if (!WorkspaceLayout.isAllowedWildcardRole(highest)) {
            throw ApiException.unprocessable("The wildcard principal '*' may be granted Viewer or Editor only, not " + highest);
        }
        return highest;
    }

    /** The wildcard binding: its role from the workspace attribute (what tokens use), its grant from its row. */
    private Optional<Member> wildcardMember(GroupModel group) {
        return wildcardRole(group).map(role -> {
            Grant grant = wildcardRows(group).stream()
                    .filter(row -> row.getRole().equals(role.name()))
                    .findFirst()
                    .map(row -> new Grant(Instant.ofEpochMilli(row.getGrantedAt()), row.getGrantedBy()))
                    .orElseGet(() -> new Grant(Workspace.of(group).createdAt(), Workspace.of(group).createdBy()));
            return new Member(WorkspaceLayout.WILDCARD_PRINCIPAL, new TreeSet<>(List.of(role)), grant, false);
        });
    }

    private List<BindingEntity> wildcardRows(GroupModel group) {
        return bindings.activeOf(group, PrincipalKind.WILDCARD, WorkspaceLayout.WILDCARD_PRINCIPAL);
    }

    private Object setWildcard(GroupModel group, Role role, Grant grant, OperationType operation) {
        refuseBuiltInWildcard(group.getName());
        if (!role.name().equals(group.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE))) {
            group.setSingleAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE, role.name());
            wildcardRows(group).forEach(row -> bindings.revoke(row, grant.grantedAt(), grant.grantedBy()));
            bindings.grant(group, role, PrincipalKind.WILDCARD, WorkspaceLayout.WILDCARD_PRINCIPAL, grant.grantedAt(), grant.grantedBy());
            WildcardCache.invalidate(realm);
            Workspace.touch(group, caller.principal(), grant.grantedAt());
        }
        Object json = wildcardMember(group).orElseThrow().toJson();
        events.emit(operation, ResourceType.GROUP, "groups/" + group.getId(), json);
        return json;
    }

    private void removeWildcard(GroupModel group) {
        refuseBuiltInWildcard(group.getName());
        Optional<Member> before = wildcardMember(group);
        if (before.isEmpty()) {
            throw notMember(WorkspaceLayout.WILDCARD_PRINCIPAL, group.getName());
        }
        group.removeAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE);
        WildcardCache.invalidate(realm);
        Instant now = Instant.now();
        wildcardRows(group).forEach(row -> bindings.revoke(row, now, caller.principal()));
        Workspace.touch(group, caller.principal(), now);
        events.emit(OperationType.DELETE, ResourceType.GROUP, "groups/" + group.getId(), before.get().toJson());
    }

    private static void refuseBuiltInWildcard(String name) {
        if (WorkspaceLayout.isBuiltIn(name)) {
            throw ApiException.conflict("The wildcard binding of the built-in workspace '" + name + "' cannot be changed");
        }
    }

    private Object putPending(GroupModel group, String email, Set<Role> roles, Grant grant, OperationType operation) {
        pending.put(group, email, roles, grant);
        Object json = pending.find(group, email).orElseThrow().toJson();
        events.emit(operation, ResourceType.GROUP, "groups/" + group.getId(), json);
        return json;
    }
}
