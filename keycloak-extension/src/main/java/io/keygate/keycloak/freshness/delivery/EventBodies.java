package io.keygate.keycloak.freshness.delivery;

import io.keygate.core.ClaimNames;
import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.events.SecurityEvents;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.org.OrgRoles;
import io.keygate.keycloak.workspace.DeletionStage;
import io.keygate.keycloak.workspace.WildcardCache;
import io.keygate.keycloak.workspace.Workspace;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.RoleUtils;

/**
 * Builds the body of each SET's single event from live Keycloak state at sequencing time (after the
 * change committed), with the same code the token mappers use ({@link RoleResolver},
 * {@link OrgRoles}, Keycloak's composite expansion), so a SET says what a token minted now would say.
 */
final class EventBodies {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final WildcardCache wildcards;

    /** @param wildcards the realm-wide wildcard maps, as the workspace-roles mapper keeps them (one search per change, not per event) */
    EventBodies(KeycloakSession session, RealmModel realm, WildcardCache wildcards) {
        this.session = session;
        this.realm = realm;
        this.wildcards = wildcards;
    }

    /** token-claims-change body, or empty when the user no longer exists (its deletion has its own SET). */
    Optional<Map<String, Object>> claimsChange(String userId, long issuedAtMillis) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            return Optional.empty();
        }
        Map<String, Object> workspaces = new TreeMap<>();
        new RoleResolver(session, realm).effectiveRoles(user, wildcards).forEach((ws, role) -> workspaces.put(ws, role.name()));
        Map<String, Object> orgs = new LinkedHashMap<>();
        new OrgRoles(session, realm).of(user).forEach((alias, membership) -> orgs.put(alias, membership.toJson()));
        List<String> realmRoles = RoleUtils.getDeepUserRoleMappings(user).stream()
                .filter(role -> !role.isClientRole())
                .map(RoleModel::getName)
                .sorted()
                .toList();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(ClaimNames.WORKSPACES, workspaces);
        claims.put(ClaimNames.ORGS, orgs);
        claims.put(SecurityEvents.REALM_ACCESS, Map.of(SecurityEvents.REALM_ACCESS_ROLES, realmRoles));
        Map<String, Object> body = timestamped(issuedAtMillis);
        body.put(SecurityEvents.EVENT_CLAIMS, claims);
        return Optional.of(body);
    }

    /** session-revoked body. */
    Map<String, Object> sessionRevoked(String reason, long issuedAtMillis) {
        Map<String, Object> body = timestamped(issuedAtMillis);
        body.put(SecurityEvents.EVENT_REASON_ADMIN, Map.of("en", reason));
        return body;
    }

    /**
     * workspace-change body: the wildcard role (null when none) and {@code deleted} while the
     * workspace is gone or in a deletion stage other than {@code failed} (where its Admins keep Admin).
     */
    Map<String, Object> workspaceChange(String name, long issuedAtMillis) {
        Optional<Workspace> workspace = new WorkspaceGroups(session, realm).find(name).map(Workspace::of);
        boolean deleted = workspace.isEmpty() || workspace.get().deletionStage()
                .filter(stage -> stage != DeletionStage.FAILED).isPresent();
        String wildcard = workspace.flatMap(Workspace::wildcardRole)
                .filter(WorkspaceLayout::isAllowedWildcardRole)
                .map(Role::name)
                .orElse(null);
        Map<String, Object> body = timestamped(issuedAtMillis);
        body.put(SecurityEvents.EVENT_WORKSPACE, name);
        body.put(SecurityEvents.EVENT_WILDCARD_ROLE, wildcard);
        body.put(SecurityEvents.EVENT_STATE, deleted ? SecurityEvents.STATE_DELETED : SecurityEvents.STATE_ACTIVE);
        return body;
    }

    private static Map<String, Object> timestamped(long millis) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(SecurityEvents.EVENT_TIMESTAMP, BigDecimal.valueOf(millis, 3));
        return body;
    }
}
