package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.core.ApiException;
import io.keygate.core.Descriptions;
import io.keygate.core.ResourceNames;
import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.api.WorkspaceRolesBody;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.membership.EffectiveRoles;
import io.keygate.keycloak.membership.Grant;
import io.keygate.keycloak.membership.Memberships;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.workspace.DeletionStage;
import io.keygate.keycloak.workspace.WildcardCache;
import io.keygate.keycloak.workspace.Workspace;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The keygate workspace API over one Keycloak session: workspaces and role maps. Every decision
 * uses the caller's live membership and realm roles (see {@link WorkspaceAccess}); built-ins
 * cannot be deleted. Mutating methods expect to run inside the workspace's lock, in a
 * transaction of their own.
 */
final class WorkspaceApi {

    private final RealmModel realm;
    private final Caller caller;
    private final WorkspaceGroups groups;
    private final RoleResolver resolver;
    private final Memberships memberships;
    private final Bindings bindings;
    private final Principals principals;
    private final WorkspaceAccess access;
    private final AdminEvents events;

    WorkspaceApi(KeycloakSession session, RealmModel realm, Caller caller, AdminEvents events) {
        this.realm = realm;
        this.caller = caller;
        this.groups = new WorkspaceGroups(session, realm);
        this.resolver = new RoleResolver(session, realm);
        this.memberships = new Memberships(session, realm);
        this.bindings = new Bindings(session, realm);
        this.principals = new Principals(session, realm);
        this.access = new WorkspaceAccess(groups, resolver, caller);
        this.events = events;
    }

    Object list(PageRequest page) {
        Map<String, Role> visible = caller.platformAdmin() ? Map.of() : resolver.effectiveRoles(caller.user());
        List<Workspace> workspaces = groups.all()
                .filter(group -> caller.platformAdmin() || visible.containsKey(group.getName()))
                .map(Workspace::of)
                .filter(workspace -> !workspace.inDeletion())
                .toList();
        Comparator<Workspace> order = Comparator.comparing(page.byUpdatedAt() ? Workspace::updatedAt : Workspace::createdAt)
                .thenComparing(Workspace::name);
        return page.page(workspaces, order, workspace -> workspace.toJson(false));
    }

    Object create(JsonNode body) {
        String name = Bodies.requiredString(body, "name");
        ResourceNames.violation(name).ifPresent(problem -> {
            throw ApiException.unprocessable("Invalid workspace name '" + name + "': " + problem);
        });
        String description = Descriptions.WORKSPACE.require(Bodies.optionalString(body, "description").orElse(""));
        if (groups.find(name).isPresent()) {
            throw ApiException.conflict("Workspace '" + name + "' already exists");
        }
        GroupModel group = groups.create(name);
        Instant now = Instant.now();
        Workspace.initialize(group, description, caller.principal(), now);
        memberships.grant(caller.user(), group, Set.of(Role.Admin), new Grant(now, caller.principal()));
        Object json = Workspace.of(group).toJson(false);
        events.emit(OperationType.CREATE, ResourceType.GROUP, "groups/" + group.getId(), json);
        return json;
    }

    Object get(String name) {
        GroupModel group = access.visibleWorkspace(name);
        Workspace workspace = Workspace.of(group);
        return workspace.toJson(workspace.inDeletion());
    }

    Object update(String name, JsonNode body) {
        GroupModel group = access.adminWorkspace(name, false);
        Optional<String> newName = Bodies.optionalString(body, "name");
        if (newName.isPresent() && !newName.get().equals(name)) {
            throw ApiException.unprocessable("A workspace cannot be renamed");
        }
        Bodies.optionalString(body, "description").map(Descriptions.WORKSPACE::require).ifPresent(group::setDescription);
        Workspace.touch(group, caller.principal(), Instant.now());
        Object json = Workspace.of(group).toJson(false);
        events.emit(OperationType.UPDATE, ResourceType.GROUP, "groups/" + group.getId(), json);
        return json;
    }

    void delete(String name) {
        GroupModel group = access.adminWorkspace(name, true);
        WorkspaceAccess.refuseBuiltIn(name, "deleted");
        Object json = Workspace.of(group).toJson(true);
        String id = group.getId();
        bindings.revokeWorkspace(group, Instant.now(), caller.principal());
        groups.remove(group);
        events.emit(OperationType.DELETE, ResourceType.GROUP, "groups/" + id, json);
    }

    Object setDeletionStage(String name, JsonNode body) {
        String value = Bodies.requiredString(body, "stage");
        DeletionStage stage = DeletionStage.parse(value).orElseThrow(() ->
                ApiException.unprocessable("'stage' must be one of pending, deleting, failed; got '" + value + "'"));
        GroupModel group = access.adminWorkspace(name, true);
        WorkspaceAccess.refuseBuiltIn(name, "deleted");
        group.setSingleAttribute(WorkspaceLayout.ATTR_DELETION_STAGE, stage.wireName());
        WildcardCache.invalidate(realm);
        Workspace.touch(group, caller.principal(), Instant.now());
        Object json = Workspace.of(group).toJson(true);
        events.emit(OperationType.UPDATE, ResourceType.GROUP, "groups/" + group.getId(), json);
        return json;
    }

    Object myWorkspaces() {
        return roleMap(resolver.effectiveRoles(caller.user()));
    }

    Object principalWorkspaces(String principal) {
        if (!caller.platformAdmin()) {
            throw ApiException.forbidden("Only a PlatformAdmin may read another principal's workspaces");
        }
        if (WorkspaceLayout.WILDCARD_PRINCIPAL.equals(principal)) {
            return roleMap(EffectiveRoles.combine(Map.of(), resolver.wildcardRoles()));
        }
        UserModel user = principals.find(principal).orElseThrow(() ->
                ApiException.notFound("No user or service account named '" + principal + "' exists in realm '" + realm.getName() + "'"));
        return new WorkspaceRolesBody.OfPrincipal(roleNames(resolver.effectiveRoles(user)), resolver.isPlatformAdmin(user));
    }

    private static WorkspaceRolesBody roleMap(Map<String, Role> roles) {
        return new WorkspaceRolesBody(roleNames(roles));
    }

    private static Map<String, String> roleNames(Map<String, Role> roles) {
        Map<String, String> workspaces = new LinkedHashMap<>();
        roles.forEach((workspace, role) -> workspaces.put(workspace, role.name()));
        return workspaces;
    }
}
