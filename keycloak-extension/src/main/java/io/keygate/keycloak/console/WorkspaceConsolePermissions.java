package io.keygate.keycloak.console;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.AuthorizationProviderFactory;
import org.keycloak.authorization.fgap.AdminPermissionsSchema;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.model.Scope;
import org.keycloak.authorization.store.PolicyStore;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.RepresentationToModel;
import org.keycloak.representations.idm.authorization.AbstractPolicyRepresentation;
import org.keycloak.representations.idm.authorization.GroupPolicyRepresentation;
import org.keycloak.representations.idm.authorization.RolePolicyRepresentation;
import org.keycloak.representations.idm.authorization.ScopePermissionRepresentation;

/**
 * Keycloak fine-grained admin permissions (v2) that let the members of {@code /workspaces/<ws>/Admin},
 * and only them, manage the members of that one workspace in the admin console. Kept in the realm's
 * {@code admin-permissions} client with Keycloak's own authorization stores. Per workspace
 * ({@code keygate:workspace:<ws>:<kind>}):
 *
 * <ul>
 *   <li>{@code admins}: group policy "direct member of {@code /workspaces/<ws>/Admin}";</li>
 *   <li>{@code groups}: {@code view}, {@code view-members} on the workspace group and its three role groups;</li>
 *   <li>{@code membership}: {@code manage-membership} on the three role groups only (joining the workspace
 *       group itself would make a member without a role).</li>
 * </ul>
 *
 * Shared by all workspaces ({@code keygate:workspace-admins:<kind>}, through the role policy
 * {@code keygate:workspace-admins:any} on the realm role {@value #WORKSPACE_ADMIN_ROLE}, which every
 * workspace's Admin group maps: Keycloak decides admin permissions UNANIMOUSly, so one permission per
 * workspace on the same resource would deny; and one role check costs the same for 10 or 10,000
 * workspaces, where a policy listing every workspace would grow with them):
 *
 * <ul>
 *   <li>{@code root}: {@code view} on {@code /workspaces}, the console's way to the workspace (a group's
 *       {@code view} is not inherited by its subgroups and shows no members);</li>
 *   <li>{@code users}: {@code view} and {@code manage-group-membership} on the realm's users. The least Keycloak
 *       needs for "Add member": the candidate is not yet related to the workspace, user search
 *       ({@code GET /users}) lists only users the caller may view, and joining a user to a group
 *       ({@code PUT /users/{id}/groups/{group}}) needs {@code manage-group-membership} on the user besides
 *       {@code manage-membership} on the group, which exists only for the own role groups. No {@code manage}
 *       (edits, credentials, deletion), {@code map-roles} or {@code impersonate}. Keycloak gives a group's own
 *       permission precedence for its members, so members of another workspace's role groups stay invisible.</li>
 * </ul>
 *
 * The Admin group also gets the {@code realm-management} role {@code query-groups}: the console shows its
 * Groups page only to holders of that role, and with admin permissions on Keycloak filters the listed groups
 * by {@code view}. Leaving the Admin group therefore removes every console right at the next request.
 * Built-in workspaces ({@code default}, {@code system}) and workspaces in deletion get nothing.
 */
public final class WorkspaceConsolePermissions {

    static final String PREFIX = "keygate:workspace:";
    static final String SHARED_PREFIX = "keygate:workspace-admins:";
    static final String ANY_ADMINS = SHARED_PREFIX + "any";
    /** Realm role mapped to every eligible workspace's Admin group; kept by keygate, not for hand assignment. */
    public static final String WORKSPACE_ADMIN_ROLE = "keygate-workspace-admin";

    private static final Logger LOG = Logger.getLogger(WorkspaceConsolePermissions.class);
    private static final List<Role> ROLES = List.of(Role.Admin, Role.Editor, Role.Viewer);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final WorkspaceGroups groups;
    private AuthorizationProvider authorization;

    public WorkspaceConsolePermissions(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.groups = new WorkspaceGroups(session, realm);
    }

    /**
     * The start-up / realm-import pass: with {@code enabled}, switches the realm's admin permissions on and
     * gives every eligible workspace its permissions; otherwise (and for workspaces that are not eligible)
     * removes them. Policies named for a workspace that no longer exists are deleted.
     */
    public void reconcile(boolean enabled) {
        if ("master".equals(realm.getName())) {
            return;
        }
        if (enabled) {
            enableAdminPermissions();
        }
        Set<String> kept = new LinkedHashSet<>();
        groups.all().toList().forEach(workspace -> {
            if (enabled && eligible(workspace)) {
                ensure(workspace);
                kept.add(workspace.getName());
            } else {
                remove(workspace);
            }
        });
        server().ifPresent(server -> {
            deleteOrphans(server, kept, enabled);
        });
    }

    /** Brings one workspace's permissions in line with its groups: present when eligible, absent otherwise. */
    public void sync(GroupModel workspace) {
        if (eligible(workspace)) {
            ensure(workspace);
        } else {
            remove(workspace);
        }
    }

    /**
     * Whether the workspace's permissions already match its eligibility (one cached policy lookup): a
     * workspace group's attribute writes, many per create, need no sync unless this is false.
     */
    public boolean inLine(GroupModel workspace) {
        boolean present = server().map(server -> authorization().getStoreFactory().getPolicyStore()
                .findByName(server, name(workspace.getName(), Kind.ADMINS)) != null).orElse(false);
        return present == eligible(workspace);
    }

    /** A workspace whose Admins get console rights: not built in, not in deletion. */
    static boolean eligible(GroupModel workspace) {
        return !WorkspaceLayout.isBuiltIn(workspace.getName())
                && workspace.getFirstAttribute(WorkspaceLayout.ATTR_DELETION_STAGE) == null;
    }

    private void enableAdminPermissions() {
        if (!realm.isAdminPermissionsEnabled()) {
            realm.setAdminPermissionsEnabled(true);
            LOG.infof("Enabled fine-grained admin permissions in realm %s for workspace Admins", realm.getName());
        }
        AdminPermissionsSchema.SCHEMA.init(session, realm);
    }

    private void ensure(GroupModel workspace) {
        Optional<ResourceServer> found = server();
        Optional<GroupModel> admin = groups.findRoleGroup(workspace, Role.Admin);
        if (found.isEmpty() || admin.isEmpty()) {
            return;
        }
        ResourceServer server = found.get();
        String ws = workspace.getName();
        Policy admins = groupPolicy(server, name(ws, Kind.ADMINS), admin.get());
        Set<String> roleGroups = ROLES.stream().map(role -> groups.findRoleGroup(workspace, role))
                .flatMap(Optional::stream).map(GroupModel::getId).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> workspaceGroups = new LinkedHashSet<>(Set.of(workspace.getId()));
        workspaceGroups.addAll(roleGroups);
        permission(server, name(ws, Kind.GROUPS), AdminPermissionsSchema.GROUPS_RESOURCE_TYPE, workspaceGroups,
                Set.of(AdminPermissionsSchema.VIEW, AdminPermissionsSchema.VIEW_MEMBERS), admins);
        permission(server, name(ws, Kind.MEMBERSHIP), AdminPermissionsSchema.GROUPS_RESOURCE_TYPE, roleGroups,
                Set.of(AdminPermissionsSchema.MANAGE_MEMBERSHIP), admins);
        RoleModel workspaceAdmin = workspaceAdminRole();
        Policy anyAdmins = anyWorkspaceAdmins(server, workspaceAdmin);
        for (Shared shared : Shared.values()) {
            shared(server, shared, anyAdmins);
        }
        consoleRoles(workspaceAdmin).filter(role -> !admin.get().hasDirectRole(role)).forEach(admin.get()::grantRole);
    }

    /** The roles an eligible workspace's Admin group maps: the console's Groups page and the shared permissions' role. */
    private Stream<RoleModel> consoleRoles(RoleModel workspaceAdmin) {
        return Stream.concat(queryGroupsRole().stream(), Stream.ofNullable(workspaceAdmin));
    }

    /** Deletes the workspace's permissions and policy and takes the console roles off its Admin group. */
    public void remove(GroupModel workspace) {
        server().ifPresent(server -> deleteNamed(server, workspace.getName()));
        groups.findRoleGroup(workspace, Role.Admin).ifPresent(admin -> consoleRoles(realm.getRole(WORKSPACE_ADMIN_ROLE))
                .filter(admin::hasDirectRole).forEach(admin::deleteRoleMapping));
    }

    private void deleteNamed(ResourceServer server, String workspace) {
        PolicyStore policies = authorization().getStoreFactory().getPolicyStore();
        for (Kind kind : Kind.values()) {
            Policy policy = policies.findByName(server, name(workspace, kind));
            if (policy != null) {
                policies.delete(policy.getId());
            }
        }
    }

    private void deleteOrphans(ResourceServer server, Set<String> kept, boolean enabled) {
        PolicyStore policies = authorization().getStoreFactory().getPolicyStore();
        Set<String> known = java.util.Arrays.stream(Kind.values()).map(kind -> kind.wire).collect(Collectors.toSet());
        policies.findByResourceServer(server).stream()
                .filter(policy -> policy.getName().startsWith(PREFIX))
                .filter(policy -> !kept.contains(workspaceOf(policy.getName()))
                        || !known.contains(policy.getName().substring(policy.getName().lastIndexOf(':') + 1)))
                .sorted((a, b) -> Boolean.compare("group".equals(a.getType()), "group".equals(b.getType())))
                .toList()
                .forEach(policy -> policies.delete(policy.getId()));
        if (!enabled) {
            for (Shared shared : Shared.values()) {
                Policy permission = policies.findByName(server, shared.policyName);
                if (permission != null) {
                    policies.delete(permission.getId());
                }
            }
            Policy anyAdmins = policies.findByName(server, ANY_ADMINS);
            if (anyAdmins != null) {
                policies.delete(anyAdmins.getId());
            }
            RoleModel workspaceAdmin = realm.getRole(WORKSPACE_ADMIN_ROLE);
            if (workspaceAdmin != null) {
                realm.removeRole(workspaceAdmin);
            }
        }
    }

    /**
     * The permission that all workspace Admins share (one per realm, because with several permissions on one
     * resource Keycloak grants only when all of them grant), whose one policy is the role policy of
     * {@link #anyWorkspaceAdmins}. {@code null} when {@code /workspaces} does not exist yet.
     */
    private Policy shared(ResourceServer server, Shared shared, Policy anyAdmins) {
        PolicyStore policies = authorization().getStoreFactory().getPolicyStore();
        Policy existing = policies.findByName(server, shared.policyName);
        Set<String> resources = Set.of();
        if (shared == Shared.ROOT) {
            Optional<GroupModel> root = groups.root();
            if (root.isEmpty()) {
                return null;
            }
            resources = Set.of(root.get().getId());
        }
        String type = shared == Shared.USERS ? AdminPermissionsSchema.USERS_RESOURCE_TYPE : AdminPermissionsSchema.GROUPS_RESOURCE_TYPE;
        if (existing != null && matches(existing, type, resources, shared.scopes)
                && existing.getAssociatedPolicies().stream().map(Policy::getId).toList().equals(List.of(anyAdmins.getId()))) {
            return existing;
        }
        ScopePermissionRepresentation rep = new ScopePermissionRepresentation();
        rep.setName(shared.policyName);
        rep.setDescription(shared.description);
        rep.setResourceType(type);
        rep.setResources(resources);
        rep.setScopes(shared.scopes);
        rep.setPolicies(Set.of(anyAdmins.getId()));
        Policy saved = save(server, rep, existing);
        AdminPermissionsSchema.SCHEMA.addUResourceTypeResource(session, server, saved, type);
        return saved;
    }

    /**
     * The role policy "Admin of any workspace" that the shared permissions use: holders of
     * {@value #WORKSPACE_ADMIN_ROLE}, which each workspace's Admin group maps, so leaving the last Admin
     * group ends it at the next request. Replaces the aggregate policy of earlier versions, which
     * listed every workspace's group policy and grew with them.
     */
    private Policy anyWorkspaceAdmins(ResourceServer server, RoleModel workspaceAdmin) {
        PolicyStore policies = authorization().getStoreFactory().getPolicyStore();
        Policy existing = policies.findByName(server, ANY_ADMINS);
        if (existing != null && "role".equals(existing.getType())) {
            return existing;
        }
        if (existing != null) {
            policies.delete(existing.getId());
        }
        RolePolicyRepresentation rep = new RolePolicyRepresentation();
        rep.setName(ANY_ADMINS);
        rep.setDescription("keygate: Admin of any workspace (realm role " + WORKSPACE_ADMIN_ROLE + ", mapped to every Admin group)");
        rep.addRole(workspaceAdmin.getId(), false);
        return save(server, rep, null);
    }

    private RoleModel workspaceAdminRole() {
        RoleModel role = realm.getRole(WORKSPACE_ADMIN_ROLE);
        if (role == null) {
            role = realm.addRole(WORKSPACE_ADMIN_ROLE);
            role.setDescription("Kept by keygate: mapped to every workspace's Admin group; lets them manage their"
                    + " workspace's members in the admin console. Not for hand assignment.");
        }
        return role;
    }

    private Policy groupPolicy(ResourceServer server, String name, GroupModel adminGroup) {
        GroupPolicyRepresentation rep = new GroupPolicyRepresentation();
        rep.setName(name);
        rep.setDescription("Direct members of " + WorkspaceLayout.rolePath(adminGroup.getParent().getName(), Role.Admin) + " (keygate)");
        rep.addGroup(adminGroup.getId(), false);
        Policy existing = authorization().getStoreFactory().getPolicyStore().findByName(server, name);
        String groupsConfig = existing == null ? null : existing.getConfig().get("groups");
        if (existing != null && groupsConfig != null && groupsConfig.contains(adminGroup.getId())) {
            return existing;
        }
        return save(server, rep, existing);
    }

    private void permission(ResourceServer server, String name, String resourceType, Set<String> resources, Set<String> scopes, Policy policy) {
        if (resources.isEmpty() && !AdminPermissionsSchema.USERS_RESOURCE_TYPE.equals(resourceType)) {
            // A permission without resources would apply to every group of the realm: never create one.
            return;
        }
        ScopePermissionRepresentation rep = new ScopePermissionRepresentation();
        rep.setName(name);
        rep.setDescription("keygate: lets the Admins of workspace " + name.substring(PREFIX.length(), name.lastIndexOf(':'))
                + " manage its members in the admin console");
        rep.setResourceType(resourceType);
        rep.setResources(resources);
        rep.setScopes(scopes);
        rep.setPolicies(Set.of(policy.getId()));
        Policy existing = authorization().getStoreFactory().getPolicyStore().findByName(server, name);
        if (existing != null && matches(existing, resourceType, resources, scopes)
                && existing.getAssociatedPolicies().stream().map(Policy::getId).collect(Collectors.toSet()).equals(Set.of(policy.getId()))) {
            return;
        }
        Policy saved = save(server, rep, existing);
        // With no resources listed the permission is for the whole type; Keycloak records that as the type's resource.
        AdminPermissionsSchema.SCHEMA.addUResourceTypeResource(session, server, saved, resourceType);
    }

    private static boolean matches(Policy existing, String resourceType, Set<String> resources, Set<String> scopes) {
        Set<String> resourceNames = existing.getResources().stream().map(Resource::getName).collect(Collectors.toSet());
        Set<String> expected = resources.isEmpty() ? Set.of(resourceType) : resources;
        return resourceType.equals(existing.getResourceType())
                && resourceNames.equals(expected)
                && existing.getScopes().stream().map(Scope::getName).collect(Collectors.toSet()).equals(scopes);
    }

    private Policy save(ResourceServer server, AbstractPolicyRepresentation rep, Policy existing) {
        AuthorizationProvider authorization = authorization();
        if (existing == null) {
            return RepresentationToModel.toModel(rep, authorization, authorization.getStoreFactory().getPolicyStore().create(server, rep));
        }
        rep.setId(existing.getId());
        return RepresentationToModel.toModel(rep, authorization, existing);
    }

    private Optional<ResourceServer> server() {
        if (!realm.isAdminPermissionsEnabled()) {
            return Optional.empty();
        }
        ClientModel client = realm.getAdminPermissionsClient();
        return client == null ? Optional.empty()
                : Optional.ofNullable(authorization().getStoreFactory().getResourceServerStore().findByClient(client));
    }

    private Optional<RoleModel> queryGroupsRole() {
        ClientModel management = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        return management == null ? Optional.empty() : Optional.ofNullable(management.getRole(AdminRoles.QUERY_GROUPS));
    }

    /** The authorization provider of this realm (not the session's context realm, which start-up passes lack). */
    private AuthorizationProvider authorization() {
        if (authorization == null) {
            AuthorizationProviderFactory factory = (AuthorizationProviderFactory) session.getKeycloakSessionFactory()
                    .getProviderFactory(AuthorizationProvider.class);
            authorization = factory.create(session, realm);
        }
        return authorization;
    }

    static String name(String workspace, Kind kind) {
        return PREFIX + workspace + ":" + kind.wire;
    }

    /** The workspace a keygate policy name is for ({@code :} cannot occur in a workspace name). */
    static String workspaceOf(String policyName) {
        String rest = policyName.substring(PREFIX.length());
        int colon = rest.lastIndexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** The two permissions every workspace's Admins share; see {@link #shared}. */
    enum Shared {
        USERS("users", Set.of(AdminPermissionsSchema.VIEW, AdminPermissionsSchema.MANAGE_GROUP_MEMBERSHIP),
                "keygate: workspace Admins find the users they add to their workspace's role groups"),
        ROOT("root", Set.of(AdminPermissionsSchema.VIEW),
                "keygate: workspace Admins see the /workspaces group, the way to their workspace in the console");

        final String policyName;
        final Set<String> scopes;
        final String description;

        Shared(String wire, Set<String> scopes, String description) {
            this.policyName = SHARED_PREFIX + wire;
            this.scopes = scopes;
            this.description = description;
        }
    }

    /** Per workspace: its Admins' group policy and the two permissions only it uses. */
    enum Kind {
        MEMBERSHIP("membership"), GROUPS("groups"), ADMINS("admins");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }
    }
}
