package io.keygate.keycloak.pending;

import io.keygate.core.Role;
import io.keygate.keycloak.binding.BindingEntity;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.binding.PrincipalKind;
import io.keygate.keycloak.membership.Grant;
import io.keygate.keycloak.membership.Member;
import io.keygate.keycloak.membership.Memberships;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Roles granted to an email that has no Keycloak user yet: {@code KEYGATE_BINDING} rows of kind
 * {@link PrincipalKind#PENDING_EMAIL}, one per role, keyed by the lower-case email. When the user
 * appears each row becomes a membership with the same granted_at/granted_by, and the pending row
 * is revoked by that user.
 */
public final class PendingGrants {

    private static final Logger LOG = Logger.getLogger(PendingGrants.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Bindings bindings;

    public PendingGrants(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.bindings = new Bindings(session, realm);
    }

    /** The pending grant to {@code email} in a workspace. */
    public Optional<Member> find(GroupModel workspace, String email) {
        String normalized = Principals.normalizeEmail(email);
        List<BindingEntity> rows = bindings.activeOf(workspace, PrincipalKind.PENDING_EMAIL, normalized);
        return rows.isEmpty() ? Optional.empty() : Optional.of(Member.of(normalized, rows, true));
    }

    /**
     * Makes {@code roles} the pending roles of {@code email}: roles already pending keep their
     * grant, new ones get {@code grant}, others are revoked by {@code grant}'s author.
     */
    public void put(GroupModel workspace, String email, Set<Role> roles, Grant grant) {
        String normalized = Principals.normalizeEmail(email);
        for (BindingEntity row : bindings.activeOf(workspace, PrincipalKind.PENDING_EMAIL, normalized)) {
            if (Role.parse(row.getRole()).filter(roles::contains).isEmpty()) {
                bindings.revoke(row, grant.grantedAt(), grant.grantedBy());
            }
        }
        for (Role role : roles) {
            bindings.grant(workspace, role, PrincipalKind.PENDING_EMAIL, normalized, grant.grantedAt(), grant.grantedBy());
        }
    }

    /** Revokes the pending grant of {@code email}; true when there was one. */
    public boolean remove(GroupModel workspace, String email, String revokedBy) {
        String normalized = Principals.normalizeEmail(email);
        List<BindingEntity> rows = bindings.activeOf(workspace, PrincipalKind.PENDING_EMAIL, normalized);
        Instant now = Instant.now();
        rows.forEach(row -> bindings.revoke(row, now, revokedBy));
        return !rows.isEmpty();
    }

    /**
     * Turns every pending grant to the user's email into role bindings, keeping the original
     * granted_at and granted_by. Returns the number of workspaces resolved.
     */
    public int resolve(UserModel user) {
        if (user.getEmail() == null || user.getServiceAccountClientLink() != null) {
            return 0;
        }
        String email = Principals.normalizeEmail(user.getEmail());
        Map<String, List<BindingEntity>> byWorkspace = new LinkedHashMap<>();
        bindings.pendingFor(email).forEach(row -> byWorkspace.computeIfAbsent(row.getWorkspaceId(), id -> new ArrayList<>()).add(row));
        Memberships memberships = new Memberships(session, realm);
        Instant now = Instant.now();
        int resolved = 0;
        for (Map.Entry<String, List<BindingEntity>> entry : byWorkspace.entrySet()) {
            GroupModel workspace = session.groups().getGroupById(realm, entry.getKey());
            if (workspace != null && WorkspaceGroups.isWorkspaceGroup(workspace)) {
                for (BindingEntity row : entry.getValue()) {
                    Role.parse(row.getRole()).ifPresent(role -> memberships.grant(user, workspace, EnumSet.of(role),
                            new Grant(Instant.ofEpochMilli(row.getGrantedAt()), row.getGrantedBy())));
                }
                resolved++;
                LOG.infof("Resolved pending grant of %s in workspace %s", email, workspace.getName());
            }
            entry.getValue().forEach(row -> bindings.revoke(row, now, Principals.nameOf(user)));
        }
        return resolved;
    }
}
