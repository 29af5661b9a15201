package io.keygate.gateway.policy;

import java.util.List;
import java.util.Set;

/**
 * What one endpoint (path pattern + HTTP method) requires.
 *
 * @param pattern        the path pattern as written in the policy, e.g. {@code /apis/models/v2/workspaces/{workspace}/models}
 * @param method         upper-case HTTP method
 * @param permissions    every one of these must be granted by the caller's role (empty: authentication only)
 * @param scopes         a scope-restricted token needs at least one of these (empty: no scope needed)
 * @param orgRoles       when non-empty, the caller needs one of these roles in the organization named by {@code {org}}
 * @param orgMember      when true, the caller must be a member (any role) of the organization named by {@code {org}}
 * @param workspaceIndex segment index that names the workspace, or -1
 * @param orgIndex       segment index that names the organization, or -1
 */
public record EndpointRule(
        String pattern,
        String method,
        Set<String> permissions,
        List<String> scopes,
        Set<String> orgRoles,
        boolean orgMember,
        int workspaceIndex,
        int orgIndex) {

    public EndpointRule {
        permissions = Set.copyOf(permissions);
        scopes = List.copyOf(scopes);
        orgRoles = Set.copyOf(orgRoles);
    }

    /** True when this endpoint is guarded by organization membership or an organization role. */
    public boolean isOrgScoped() {
        return orgMember || !orgRoles.isEmpty();
    }
}
