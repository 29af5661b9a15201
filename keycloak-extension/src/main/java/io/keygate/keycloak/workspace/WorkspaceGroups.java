package io.keygate.keycloak.workspace;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Finds and creates the Keycloak groups behind workspaces: {@code /workspaces/<name>} and its
 * {@code Admin}, {@code Editor}, {@code Viewer} subgroups. Bound to one session and realm.
 */
public final class WorkspaceGroups {

    private final KeycloakSession session;
    private final RealmModel realm;

    public WorkspaceGroups(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public RealmModel realm() {
        return realm;
    }

    /** The {@code /workspaces} root group, if it exists. */
    public Optional<GroupModel> root() {
        return session.groups().getTopLevelGroupsStream(realm, WorkspaceLayout.ROOT_GROUP, true, 0, 10)
                .filter(group -> WorkspaceLayout.ROOT_GROUP.equals(group.getName()))
                .findFirst();
    }

    /** The {@code /workspaces} root group, created when missing. */
    public GroupModel rootOrCreate() {
        return root().orElseGet(() -> session.groups().createGroup(realm, WorkspaceLayout.ROOT_GROUP));
    }

    /** The workspace group, including one that is being deleted. */
    public Optional<GroupModel> find(String name) {
        return root().map(root -> session.groups().getGroupByName(realm, root, name));
    }

    /** Every workspace group, including those being deleted. */
    public Stream<GroupModel> all() {
        return root().map(GroupModel::getSubGroupsStream).orElseGet(Stream::empty);
    }

    /** Creates the workspace group with its three role subgroups. The caller checks that the name is free. */
    public GroupModel create(String name) {
        GroupModel workspace = session.groups().createGroup(realm, name, rootOrCreate());
        for (Role role : Role.values()) {
            session.groups().createGroup(realm, role.name(), workspace);
        }
        return workspace;
    }

    /** The role subgroup, created when someone removed it in the admin console. */
    public GroupModel roleGroup(GroupModel workspace, Role role) {
        GroupModel group = session.groups().getGroupByName(realm, workspace, role.name());
        return group != null ? group : session.groups().createGroup(realm, role.name(), workspace);
    }

    /** The role subgroup if it exists. */
    public Optional<GroupModel> findRoleGroup(GroupModel workspace, Role role) {
        return Optional.ofNullable(session.groups().getGroupByName(realm, workspace, role.name()));
    }

    /** Session attribute naming the workspace group the keygate API is deleting; see {@link WorkspaceTreeGuard}. */
    static final String DELETING_ATTRIBUTE = "keygate.deleting_workspace_group";

    /** Deletes the workspace group and its role subgroups; the only deletion the tree guard lets through. */
    public void remove(GroupModel workspace) {
        session.setAttribute(DELETING_ATTRIBUTE, workspace.getId());
        WildcardCache.invalidate(realm);
        try {
            session.groups().removeGroup(realm, workspace);
        } finally {
            session.removeAttribute(DELETING_ATTRIBUTE);
        }
    }

    /** True when {@code group} is a workspace group ({@code /workspaces/<name>}). */
    public static boolean isWorkspaceGroup(GroupModel group) {
        GroupModel parent = group.getParent();
        return parent != null && parent.getParentId() == null && WorkspaceLayout.ROOT_GROUP.equals(parent.getName());
    }

    /** The role a role subgroup stands for, when {@code group} is {@code /workspaces/<name>/<Role>}. */
    public static Optional<Role> roleOf(GroupModel group) {
        Optional<Role> role = Role.parse(group.getName());
        if (role.isEmpty() || group.getParent() == null || !isWorkspaceGroup(group.getParent())) {
            return Optional.empty();
        }
        return role;
    }
}
