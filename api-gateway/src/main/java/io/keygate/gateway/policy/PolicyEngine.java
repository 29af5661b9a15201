package io.keygate.gateway.policy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decides one request from local data only: the policy and the caller's verified claims.
 *
 * <p>Order of checks, all of which must pass:
 * <ol>
 *   <li>the path is well formed and an endpoint in the policy matches method and path
 *       (anything else is denied: deny by default);</li>
 *   <li>scopes: skipped for a platform admin and for a token carrying no scope that contains
 *       {@code :}; otherwise the token needs one of the endpoint's scopes;</li>
 *   <li>organization: on endpoints with {@code org_member}/{@code org_roles}, membership or one
 *       of the roles in the organization named by the path;</li>
 *   <li>roles: the caller's role in the workspace named by the path must grant every required
 *       permission; on an endpoint that names no workspace, some role the caller holds in any
 *       workspace must (lists are filtered per workspace downstream).</li>
 * </ol>
 * A platform admin bypasses checks 2 to 4, never check 1.
 */
public final class PolicyEngine {

    private final PolicyModel model;

    public PolicyEngine(PolicyModel model) {
        this.model = model;
    }

    public PolicyModel model() {
        return model;
    }

    /** Decides whether {@code caller} may call {@code method path} (path without query string). */
    public Decision decide(PolicySubject caller, String method, String path) {
        String[] segments = segments(path);
        if (segments == null) {
            return new Decision(Decision.Outcome.BAD_PATH, "malformed request path", null, null, null);
        }
        EndpointRule rule = model.endpoints().find(method, segments);
        if (rule == null) {
            return new Decision(Decision.Outcome.NO_ENDPOINT, "no policy allows " + method + " " + path, null, null, null);
        }
        String workspace = rule.workspaceIndex() >= 0 ? decode(segments[rule.workspaceIndex()]) : null;
        String org = rule.orgIndex() >= 0 ? decode(segments[rule.orgIndex()]) : null;
        if (caller.platformAdmin()) {
            return new Decision(Decision.Outcome.ALLOWED, null, rule, workspace, org);
        }
        if (!scopesAllow(caller.scopes(), rule)) {
            return new Decision(Decision.Outcome.MISSING_SCOPE,
                    "token lacks the scope for " + method + " " + rule.pattern() + ": needs one of " + String.join(", ", rule.scopes()),
                    rule, workspace, org);
        }
        if (rule.isOrgScoped()) {
            String missing = missingOrgRole(caller, rule, org);
            if (missing != null) {
                return new Decision(Decision.Outcome.MISSING_ORG_ROLE, missing, rule, workspace, org);
            }
        }
        String missingRole = missingRole(caller, rule, workspace);
        if (missingRole != null) {
            return new Decision(Decision.Outcome.MISSING_ROLE, missingRole, rule, workspace, org);
        }
        return new Decision(Decision.Outcome.ALLOWED, null, rule, workspace, org);
    }

    private static boolean scopesAllow(Set<String> tokenScopes, EndpointRule rule) {
        if (rule.scopes().isEmpty() || !isScopeRestricted(tokenScopes)) {
            return true;
        }
        for (String scope : rule.scopes()) {
            if (tokenScopes.contains(scope)) {
                return true;
            }
        }
        return false;
    }

    /** A token is scope-restricted when it carries at least one API scope ({@code area:action}). */
    public static boolean isScopeRestricted(Set<String> tokenScopes) {
        for (String scope : tokenScopes) {
            if (scope.indexOf(':') >= 0) {
                return true;
            }
        }
        return false;
    }

    private static String missingOrgRole(PolicySubject caller, EndpointRule rule, String org) {
        Set<String> held = caller.orgRolesIn(org);
        if (held == null) {
            return "requires membership in organization '" + org + "'"
                    + (rule.orgRoles().isEmpty() ? "" : " with role " + String.join(" or ", rule.orgRoles()));
        }
        if (rule.orgRoles().isEmpty()) {
            return null;
        }
        for (String role : rule.orgRoles()) {
            if (held.contains(role)) {
                return null;
            }
        }
        return "requires organization role " + String.join(" or ", rule.orgRoles()) + " in '" + org + "'";
    }

    private String missingRole(PolicySubject caller, EndpointRule rule, String workspace) {
        Set<String> required = rule.permissions();
        if (required.isEmpty()) {
            return null;
        }
        if (workspace != null) {
            String role = caller.roleIn(workspace);
            if (role != null && model.grants(role, required)) {
                return null;
            }
            return "requires role " + lowestRoleGranting(required) + " in workspace '" + workspace + "'"
                    + (role == null ? " (you have no role there)" : " (your role there: " + role + ")");
        }
        for (String role : caller.allWorkspaceRoles()) {
            if (model.grants(role, required)) {
                return null;
            }
        }
        return "requires role " + lowestRoleGranting(required) + " (permission " + String.join(", ", required) + ")";
    }

    private String lowestRoleGranting(Set<String> required) {
        for (String role : model.roleNames()) {
            Set<String> granted = model.permissionsOf(role);
            if (!granted.contains(PolicyModel.ALL_PERMISSIONS) && granted.containsAll(required)) {
                return role;
            }
        }
        return "PlatformAdmin";
    }

    /**
     * Splits a request path into raw segments; null when the path is not acceptable: not
     * absolute, an empty inner segment, a dot segment, or an encoded slash/dot trick.
     * One trailing slash is ignored.
     */
    static String[] segments(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.equals("/")) {
            return new String[0];
        }
        String[] segments = trimmed.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
            if (segment.indexOf('%') >= 0) {
                String decoded = decode(segment);
                if (decoded == null || decoded.indexOf('/') >= 0 || decoded.equals(".") || decoded.equals("..")) {
                    return null;
                }
            }
        }
        return segments;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0 && segment.indexOf('+') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
