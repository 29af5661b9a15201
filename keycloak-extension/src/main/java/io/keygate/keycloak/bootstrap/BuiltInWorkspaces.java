package io.keygate.keycloak.bootstrap;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.keycloak.binding.Bindings;
import io.keygate.keycloak.binding.PrincipalKind;
import io.keygate.keycloak.workspace.WildcardCache;
import io.keygate.keycloak.workspace.Workspace;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Creates the built-in workspaces {@code default} ({@code *} Editor) and {@code system}
 * ({@code *} Viewer) in a realm. Idempotent: existing groups keep their metadata, only missing
 * pieces are added. The {@code master} realm is never touched.
 */
public final class BuiltInWorkspaces {

    /** Recorded as creator of the built-in workspaces. */
    public static final String ACTOR = "keygate";

    private static final Logger LOG = Logger.getLogger(BuiltInWorkspaces.class);

    private BuiltInWorkspaces() {
    }

    public static void ensure(KeycloakSession session, RealmModel realm) {
        if ("master".equals(realm.getName())) {
            return;
        }
        WorkspaceGroups groups = new WorkspaceGroups(session, realm);
        Bindings bindings = new Bindings(session, realm);
        ensure(groups, bindings, WorkspaceLayout.DEFAULT_WORKSPACE, "Built-in workspace every user may edit");
        ensure(groups, bindings, WorkspaceLayout.SYSTEM_WORKSPACE, "Built-in workspace for platform resources; read-only except for PlatformAdmins");
    }

    private static void ensure(WorkspaceGroups groups, Bindings bindings, String name, String description) {
        Role wildcard = WorkspaceLayout.BUILT_IN_ROLES.get(name);
        GroupModel workspace = groups.find(name).orElse(null);
        if (workspace == null) {
            workspace = groups.create(name);
            Workspace.initialize(workspace, description, ACTOR, Instant.now());
            LOG.infof("Created built-in workspace %s in realm %s", name, groups.realm().getName());
        }
        for (Role role : Role.values()) {
            groups.roleGroup(workspace, role);
        }
        if (workspace.getFirstAttribute(WorkspaceLayout.ATTR_ID) == null) {
            Workspace.initialize(workspace, description, ACTOR, Instant.now());
        }
        if (!wildcard.name().equals(workspace.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE))) {
            workspace.setSingleAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE, wildcard.name());
            WildcardCache.invalidate(groups.realm());
        }
        Workspace metadata = Workspace.of(workspace);
        bindings.grant(workspace, wildcard, PrincipalKind.WILDCARD, WorkspaceLayout.WILDCARD_PRINCIPAL,
                metadata.createdAt(), metadata.createdBy());
    }
}
