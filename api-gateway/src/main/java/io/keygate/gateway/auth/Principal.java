package io.keygate.gateway.auth;

import io.keygate.core.OrgRole;
import io.keygate.core.Role;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as established from a verified token (or, in dev mode, a trusted header).
 * Everything here comes from claims; the gateway keeps no user directory.
 *
 * @param subject        the token's {@code sub} (or the dev principal id)
 * @param email          the caller's email, or {@code null} (service accounts have none)
 * @param displayName    a human name for logs and audit, never used for decisions
 * @param workspaceRoles effective role per workspace (already the highest of explicit and wildcard)
 * @param orgRoles       roles per organization alias
 * @param scopes         API scopes granted to the token
 * @param platformAdmin  true when the caller holds the platform-admin role: bypasses workspace and scope checks
 * @param issuer         name of the configured issuer that vouched for the token
 */
public record Principal(
        String subject,
        String email,
        String displayName,
        Map<String, Role> workspaceRoles,
        Map<String, Set<OrgRole>> orgRoles,
        Set<String> scopes,
        boolean platformAdmin,
        String issuer) {

    public Principal {
        workspaceRoles = Map.copyOf(workspaceRoles);
        orgRoles = Map.copyOf(orgRoles);
        scopes = Set.copyOf(scopes);
    }

    /** The caller's effective role in {@code workspace}, if any. */
    public Optional<Role> roleIn(String workspace) {
        return Optional.ofNullable(workspaceRoles.get(workspace));
    }

    /** The identifier shown as {@code granted_by}, {@code created_by} and in audit entries. */
    public String id() {
        return email != null && !email.isBlank() ? email : subject;
    }
}
