package io.keygate.keycloak.bootstrap;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.binding.PrincipalKind;
import io.keygate.keycloak.membership.Grant;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.workspace.Workspace;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Moves the pre-issue-9 membership metadata out of group attributes into {@code KEYGATE_BINDING}
 * rows, once per realm: role-group attributes {@code keygate.grant.<userId>}, workspace attributes
 * {@code keygate.pending_email} / {@code keygate.pending.<email>} and {@code keygate.wildcard_grant}.
 * Every current member of a role group gets a row (its old metadata, or the workspace's creation
 * time and {@code keycloak-admin} when it had none); then the attributes are removed and the
 * realm is marked with {@link Bindings#MIGRATED_ATTRIBUTE}. Idempotent: a row is only added when no active one
 * exists, and the realm row lock plus the marker make concurrent nodes migrate a realm once.
 */
public final class BindingMigration {

    static final String MARKER = Bindings.MIGRATED_ATTRIBUTE;
    static final String VERSION = Bindings.MIGRATED_VERSION;

    static final String LEGACY_PENDING_EMAILS = "keygate.pending_email";
    static final String LEGACY_PENDING_PREFIX = "keygate.pending.";
    static final String LEGACY_WILDCARD_GRANT = "keygate.wildcard_grant";

    private static final Logger LOG = Logger.getLogger(BindingMigration.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Bindings bindings;

    public BindingMigration(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.bindings = new Bindings(session, realm);
    }

    /** Migrates the realm unless it is marked as migrated; returns the number of workspaces migrated. */
    public int migrateOnce() {
        if (VERSION.equals(realm.getAttribute(MARKER))) {
            return 0;
        }
        bindings.lockRealm();
        RealmModel fresh = session.realms().getRealm(realm.getId());
        if (VERSION.equals(fresh.getAttribute(MARKER))) {
            return 0;
        }
        List<GroupModel> workspaces = new WorkspaceGroups(session, realm).all().toList();
        workspaces.forEach(this::migrate);
        fresh.setAttribute(MARKER, VERSION);
        LOG.infof("keygate membership data of %d workspaces in realm %s moved to KEYGATE_BINDING", workspaces.size(), realm.getName());
        return workspaces.size();
    }

    private void migrate(GroupModel workspace) {
        Grant fallback = new Grant(Workspace.of(workspace).createdAt(), Grant.OUTSIDE_ACTOR);
        for (Role role : Role.values()) {
            new WorkspaceGroups(session, realm).findRoleGroup(workspace, role).ifPresent(roleGroup -> migrateRoleGroup(workspace, role, roleGroup, fallback));
        }
        migratePending(workspace);
        migrateWildcard(workspace);
    }

    private void migrateRoleGroup(GroupModel workspace, Role role, GroupModel roleGroup, Grant fallback) {
        session.users().getGroupMembersStream(realm, roleGroup).forEach(user -> {
            Grant grant = Grant.decode(roleGroup.getFirstAttribute(Grant.attributeKey(user.getId()))).orElse(fallback);
            bindings.grant(workspace, role, PrincipalKind.USER, user.getId(), grant.grantedAt(), grant.grantedBy());
        });
        roleGroup.getAttributes().keySet().stream()
                .filter(key -> key.startsWith(Grant.ATTR_PREFIX))
                .toList()
                .forEach(roleGroup::removeAttribute);
    }

    private void migratePending(GroupModel workspace) {
        for (String email : workspace.getAttributeStream(LEGACY_PENDING_EMAILS).toList()) {
            String normalized = Principals.normalizeEmail(email);
            String value = workspace.getFirstAttribute(LEGACY_PENDING_PREFIX + normalized);
            int bar = value == null ? -1 : value.indexOf('|');
            Optional<Grant> grant = bar < 0 ? Optional.empty() : Grant.decode(value.substring(bar + 1));
            if (grant.isPresent()) {
                for (String name : value.substring(0, bar).split(",")) {
                    Role.parse(name).ifPresent(role -> bindings.grant(workspace, role, PrincipalKind.PENDING_EMAIL, normalized,
                            grant.get().grantedAt(), grant.get().grantedBy()));
                }
            } else {
                LOG.warnf("Dropped a damaged pending grant to %s in workspace %s", normalized, workspace.getName());
            }
        }
        workspace.getAttributes().keySet().stream()
                .filter(key -> key.equals(LEGACY_PENDING_EMAILS) || key.startsWith(LEGACY_PENDING_PREFIX))
                .toList()
                .forEach(workspace::removeAttribute);
    }

    private void migrateWildcard(GroupModel workspace) {
        Optional<Role> role = Role.parse(workspace.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE))
                .filter(WorkspaceLayout::isAllowedWildcardRole);
        Workspace metadata = Workspace.of(workspace);
        Grant grant = Grant.decode(workspace.getFirstAttribute(LEGACY_WILDCARD_GRANT))
                .orElseGet(() -> new Grant(metadata.createdAt(), metadata.createdBy()));
        role.ifPresent(wildcard -> bindings.grant(workspace, wildcard, PrincipalKind.WILDCARD, WorkspaceLayout.WILDCARD_PRINCIPAL,
                grant.grantedAt(), grant.grantedBy()));
        if (workspace.getFirstAttribute(LEGACY_WILDCARD_GRANT) != null) {
            workspace.removeAttribute(LEGACY_WILDCARD_GRANT);
        }
    }
}
