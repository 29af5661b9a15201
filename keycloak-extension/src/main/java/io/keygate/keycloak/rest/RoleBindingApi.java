package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.api.RoleBindingBody;
import io.keygate.core.iam.RoleBindings;
import io.keygate.keycloak.binding.BindingEntity;
import io.keygate.keycloak.binding.BindingFilter;
import io.keygate.keycloak.binding.BindingHistory;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.workspace.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * NeMo Platform's IAM role bindings over the realm's binding rows ({@code KEYGATE_BINDING}):
 * every binding ever made, through the member API, the admin console or any admin REST client,
 * active or revoked. PlatformAdmin only (403 otherwise, before anything is read).
 *
 * <p>Writes are member writes: a create adds the role to the principal ({@link MemberApi#addMember}),
 * a delete revokes that one role ({@link MemberApi#revokeRole}), so the last-Admin rule, the grant
 * record and the security events are exactly those of the member API. Keycloak's membership stays
 * the truth; the rows are its history. Mutating methods expect to run inside the workspace's lock.
 */
final class RoleBindingApi {

    private final RealmModel realm;
    private final Caller caller;
    private final BindingHistory history;
    private final Principals principals;
    private final MemberApi members;
    private final ObjectMapper json;

    RoleBindingApi(KeycloakSession session, RealmModel realm, Caller caller, MemberApi members, ObjectMapper json) {
        this.realm = realm;
        this.caller = caller;
        this.history = new BindingHistory(session, realm);
        this.principals = new Principals(session, realm);
        this.members = members;
        this.json = json;
    }

    /** One page of bindings, filtered, ordered and paged in the database. */
    Object list(Map<String, List<String>> query) {
        requirePlatformAdmin();
        RoleBindingQuery request = RoleBindingQuery.parse(query);
        long total = history.count(request.filter());
        List<BindingHistory.Row> rows = history.page(request.filter(), request.sortKey(), request.descending(),
                request.offset(), request.pageSize());
        return new PageRequest(request.page(), request.pageSize(), request.sort())
                .result(rows, Math.toIntExact(total), RoleBindingApi::toJson).withFilter(request.filterEcho());
    }

    Object get(String name) {
        requirePlatformAdmin();
        return toJson(find(name));
    }

    /** The workspace a binding belongs to (to take that workspace's lock before revoking it). */
    String workspaceOf(String name) {
        requirePlatformAdmin();
        return find(name).binding().getWorkspaceName();
    }

    /**
     * Grants {@code role} in {@code workspace} (default {@code system}, as NeMo Platform's) to
     * {@code principal}; 409 when that binding is already active.
     */
    Object create(JsonNode body) {
        requirePlatformAdmin();
        Target target = target(body);
        String publicName = publicName(target.principal());
        if (active(publicName, target).isPresent()) {
            throw ApiException.conflict("Active role binding already exists for this principal/workspace/role combination");
        }
        var add = json.createObjectNode().put("principal", target.principal());
        add.putArray("roles").add(target.role().name());
        members.addMember(target.workspace(), add);
        return active(publicName, target).map(RoleBindingApi::toJson)
                .orElseThrow(() -> new IllegalStateException("the granted binding has no active row"));
    }

    /** Revokes the binding (its one role; the principal's other roles stay); 409 when it is already revoked. */
    Map<String, Object> revoke(String name) {
        requirePlatformAdmin();
        BindingHistory.Row row = find(name);
        BindingEntity binding = row.binding();
        if (binding.getRevokedAt() != null) {
            throw ApiException.conflict("Role binding is already revoked");
        }
        members.revokeRole(binding.getWorkspaceName(), row.principal(), Role.valueOf(binding.getRole()));
        Long revokedAt = history.find(binding.getId()).map(found -> found.binding().getRevokedAt()).orElse(null);
        Map<String, Object> deleted = new LinkedHashMap<>();
        deleted.put("id", binding.getId());
        deleted.put("deleted_at", Timestamps.format(revokedAt == null ? Instant.now() : Instant.ofEpochMilli(revokedAt)));
        return deleted;
    }

    private record Target(String principal, String workspace, Role role) {
    }

    private static Target target(JsonNode body) {
        String principal = Bodies.requiredString(body, "principal").trim();
        if (principal.isEmpty()) {
            throw ApiException.unprocessable("'principal' must be an email address, a username or '*'");
        }
        String roleName = Bodies.requiredString(body, "role");
        Role role = Role.parse(roleName).orElseThrow(() ->
                ApiException.unprocessable("Unknown role '" + roleName + "'; roles are " + Role.allNames()));
        String workspace = Bodies.optionalString(body, "workspace").orElse(WorkspaceLayout.SYSTEM_WORKSPACE);
        return new Target(principal, workspace, role);
    }

    /** The principal as binding rows show it: the user's email or username, {@code *}, or the lower-case email of a pending grant. */
    private String publicName(String principal) {
        if (WorkspaceLayout.WILDCARD_PRINCIPAL.equals(principal)) {
            return principal;
        }
        return principals.find(principal).map(Principals::nameOf).orElseGet(() -> Principals.normalizeEmail(principal));
    }

    private Optional<BindingHistory.Row> active(String publicName, Target target) {
        BindingFilter filter = new BindingFilter(BindingFilter.Text.equalTo(publicName), BindingFilter.Text.equalTo(target.workspace()),
                BindingFilter.Text.equalTo(target.role().name()), null, true, null, null);
        return history.page(filter, RoleBindingQuery.DEFAULT_SORT, false, 0, 1).stream().findFirst();
    }

    private BindingHistory.Row find(String name) {
        return RoleBindings.rowIdOf(name).flatMap(history::find)
                .orElseThrow(() -> ApiException.notFound("Role binding not found"));
    }

    private void requirePlatformAdmin() {
        if (!caller.platformAdmin()) {
            throw ApiException.forbidden("Only a PlatformAdmin may manage role bindings in realm '" + realm.getName() + "'");
        }
    }

    /** NeMo Platform's role-binding shape, plus {@code revoked_by} (who revoked it, null while active). */
    static RoleBindingBody toJson(BindingHistory.Row row) {
        BindingEntity binding = row.binding();
        return new RoleBindingBody(binding.getId(), RoleBindings.nameOf(binding.getId()), row.principal(),
                binding.getWorkspaceName(), binding.getRole(), binding.getGrantedBy(),
                Timestamps.format(Instant.ofEpochMilli(binding.getGrantedAt())),
                binding.getRevokedAt() == null ? null : Timestamps.format(Instant.ofEpochMilli(binding.getRevokedAt())),
                binding.getRevokedBy());
    }
}
