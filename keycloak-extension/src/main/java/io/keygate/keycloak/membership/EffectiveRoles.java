package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effective-role rule: per workspace the highest of the explicit bindings, the wildcard
 * binding (an Admin wildcard written by hand grants nothing) and the built-in floors ({@code default} is Editor and {@code system} Viewer for everyone).
 */
public final class EffectiveRoles {

    private EffectiveRoles() {
    }

    /** Merges explicit bindings and wildcard roles into one workspace → role map, sorted by name. */
    public static Map<String, Role> combine(Map<String, Role> explicit, Map<String, Role> wildcard) {
        Map<String, Role> effective = new TreeMap<>();
        effective.putAll(WorkspaceLayout.BUILT_IN_ROLES);
        wildcard.forEach((workspace, role) -> {
            if (WorkspaceLayout.isAllowedWildcardRole(role)) {
                effective.merge(workspace, role, Role::highest);
            }
        });
        explicit.forEach((workspace, role) -> effective.merge(workspace, role, Role::highest));
        return effective;
    }
}
