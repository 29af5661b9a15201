package io.keygate.core.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A principal's effective role per workspace, {@code {"workspaces": {"ml-team": "Admin"}}}: the
 * answer of {@value ExtensionApi#MY_WORKSPACES} (the full claim behind an overage token).
 */
public record WorkspaceRolesBody(Map<String, String> workspaces) {

    public WorkspaceRolesBody {
        workspaces = workspaces == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(workspaces));
    }

    /**
     * Another principal's roles and standing, the answer of {@value ExtensionApi#PRINCIPAL_WORKSPACES}
     * (PlatformAdmin only): {@code platform_admin} is whether they hold the platform-admin role now.
     */
    public record OfPrincipal(Map<String, String> workspaces, boolean platform_admin) {

        public OfPrincipal {
            workspaces = workspaces == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(workspaces));
        }
    }
}
