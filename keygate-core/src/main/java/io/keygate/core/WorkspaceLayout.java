package io.keygate.core;

import java.util.Map;

/**
 * How workspaces live in Keycloak: a workspace is the group {@code /workspaces/<name>} and a role
 * binding is membership in its subgroup {@code /workspaces/<name>/<Role>}. The wildcard principal
 * {@code *} is an attribute of the workspace group. Both the extension and the gateway read this
 * one definition.
 */
public final class WorkspaceLayout {

    /** Name of the top-level group that holds every workspace group. */
    public static final String ROOT_GROUP = "workspaces";

    /** The wildcard principal: every authenticated user. */
    public static final String WILDCARD_PRINCIPAL = "*";

    /** Built-in workspace every user may edit. */
    public static final String DEFAULT_WORKSPACE = "default";

    /** Built-in workspace every user may read and only a PlatformAdmin may change. */
    public static final String SYSTEM_WORKSPACE = "system";

    /** Realm role that bypasses workspace and scope checks. */
    public static final String PLATFORM_ADMIN_ROLE = "platform-admin";

    /** Group attribute keys on the workspace group. */
    public static final String ATTR_ID = "keygate.id";
    public static final String ATTR_CREATED_AT = "keygate.created_at";
    public static final String ATTR_CREATED_BY = "keygate.created_by";
    public static final String ATTR_UPDATED_AT = "keygate.updated_at";
    public static final String ATTR_UPDATED_BY = "keygate.updated_by";
    public static final String ATTR_WILDCARD_ROLE = "keygate.wildcard_role";
    public static final String ATTR_DELETION_STAGE = "keygate.deletion_stage";
    /** The wildcard role this workspace last published to the realm's wildcard version (absent: none); kept by the extension. */
    public static final String ATTR_WILDCARD_PUBLISHED = "keygate.wildcard.published";

    private WorkspaceLayout() {
    }

    /** Group path of a workspace: {@code /workspaces/ml-team}. */
    public static String workspacePath(String workspace) {
        return "/" + ROOT_GROUP + "/" + workspace;
    }

    /** Group path of a role binding: {@code /workspaces/ml-team/Editor}. */
    public static String rolePath(String workspace, Role role) {
        return workspacePath(workspace) + "/" + role.name();
    }

    /** The built-in workspaces and the role every user holds there: {@code default} Editor, {@code system} Viewer. */
    public static final Map<String, Role> BUILT_IN_ROLES = Map.of(DEFAULT_WORKSPACE, Role.Editor, SYSTEM_WORKSPACE, Role.Viewer);

    /** {@code default} or {@code system}: created by keygate in every realm, never deleted. */
    public static boolean isBuiltIn(String workspace) {
        return workspace != null && BUILT_IN_ROLES.containsKey(workspace);
    }

    /** The wildcard may grant Viewer or Editor; an Admin wildcard would hand everyone the member list. */
    public static boolean isAllowedWildcardRole(Role role) {
        return role != null && !role.includes(Role.Admin);
    }
}
