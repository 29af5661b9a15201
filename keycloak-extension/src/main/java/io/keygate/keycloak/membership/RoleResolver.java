package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.keycloak.workspace.DeletionStage;
import io.keygate.keycloak.workspace.WildcardCache;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * Reads a user's workspace roles from live Keycloak state (group membership and workspace
 * attributes), never from token claims. Workspaces in deletion count for nobody, except that a
 * workspace whose cleanup failed still counts for its Admins, so they can delete it again (retry).
 */
public final class RoleResolver {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PlatformAdminRole platformAdminRole;

    /** A resolver that reads the platform-admin role from the server's configuration ({@link PlatformAdminRole#configured()}). */
    public RoleResolver(KeycloakSession session, RealmModel realm) {
        this(session, realm, PlatformAdminRole.configured());
    }

    public RoleResolver(KeycloakSession session, RealmModel realm, PlatformAdminRole platformAdminRole) {
        this.session = session;
        this.realm = realm;
        this.platformAdminRole = platformAdminRole;
    }

    /** Effective role per visible workspace: explicit bindings, wildcards and built-ins combined. */
    public Map<String, Role> effectiveRoles(UserModel user) {
        return EffectiveRoles.combine(explicitRoles(user), wildcardRoles());
    }

    /** As {@link #effectiveRoles(UserModel)}, with the realm's wildcard map from {@code wildcards} (searched once per change). */
    public Map<String, Role> effectiveRoles(UserModel user, WildcardCache wildcards) {
        return EffectiveRoles.combine(explicitRoles(user), wildcards.wildcardRoles(realm, this::wildcardRoles));
    }

    /** The highest explicit binding per workspace, skipping workspaces in deletion (but see {@link #counts}). */
    public Map<String, Role> explicitRoles(UserModel user) {
        Map<String, Role> explicit = new HashMap<>();
        user.getGroupsStream().forEach(group -> WorkspaceGroups.roleOf(group).ifPresent(role -> {
            GroupModel workspace = group.getParent();
            if (counts(workspace, role)) {
                explicit.merge(workspace.getName(), role, Role::highest);
            }
        }));
        return explicit;
    }

    /** Wildcard role per workspace, for workspaces that have one and are not in deletion. */
    public Map<String, Role> wildcardRoles() {
        Map<String, Role> wildcard = new HashMap<>();
        for (Role role : EnumSet.of(Role.Viewer, Role.Editor)) {
            session.groups()
                    .searchGroupsByAttributes(realm, Map.of(WorkspaceLayout.ATTR_WILDCARD_ROLE, role.name()), null, null)
                    .filter(WorkspaceGroups::isWorkspaceGroup)
                    .filter(group -> !inDeletion(group))
                    .forEach(group -> wildcard.merge(group.getName(), role, Role::highest));
        }
        return wildcard;
    }

    /** The explicit roles a user holds in one workspace (the role subgroups they belong to). */
    public Set<Role> explicitRolesIn(UserModel user, GroupModel workspace) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        workspace.getSubGroupsStream().forEach(group -> Role.parse(group.getName())
                .filter(role -> user.isMemberOf(group))
                .ifPresent(roles::add));
        return roles;
    }

    /** The caller's effective role in one workspace, ignoring its deletion stage. */
    public Optional<Role> effectiveRoleIn(UserModel user, GroupModel workspace) {
        Role best = Role.highest(explicitRolesIn(user, workspace)).orElse(null);
        Optional<Role> wildcard = Role.parse(workspace.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE))
                .filter(WorkspaceLayout::isAllowedWildcardRole);
        best = Role.highest(best, wildcard.orElse(null));
        best = Role.highest(best, builtInFloor(workspace.getName()).orElse(null));
        return Optional.ofNullable(best);
    }

    /** True when the user holds the configured platform-admin realm role (directly, by group or composite). */
    public boolean isPlatformAdmin(UserModel user) {
        RoleModel platformAdmin = realm.getRole(platformAdminRole.name());
        return platformAdmin != null && user.hasRole(platformAdmin);
    }

    /** Built-in workspaces give everyone a role: {@code default} Editor, {@code system} Viewer. */
    public static Optional<Role> builtInFloor(String workspace) {
        return WorkspaceLayout.isBuiltIn(workspace) ? Optional.of(WorkspaceLayout.BUILT_IN_ROLES.get(workspace)) : Optional.empty();
    }

    /** A binding counts unless its workspace is in deletion; an Admin binding also counts once that deletion failed. */
    private static boolean counts(GroupModel workspace, Role role) {
        String stage = workspace.getFirstAttribute(WorkspaceLayout.ATTR_DELETION_STAGE);
        return stage == null || (role == Role.Admin && DeletionStage.parse(stage).orElse(null) == DeletionStage.FAILED);
    }

    private static boolean inDeletion(GroupModel workspace) {
        return workspace.getFirstAttribute(WorkspaceLayout.ATTR_DELETION_STAGE) != null;
    }
}
