package io.keygate.gateway.auth;

import io.keygate.gateway.policy.Decision;
import io.keygate.gateway.policy.PolicyEngine;
import java.util.Map;
import java.util.Set;

/**
 * The per-request security path: who is calling (token, or dev header when enabled) and may
 * they call this endpoint (policy). Local data only in the steady state: verified tokens and
 * policy are in memory.
 *
 * <p>With {@code auth.enabled: false} every request is allowed as an anonymous platform admin.
 */
public final class RequestAuthorizer {

    /** The caller when authentication is switched off: sees and may do everything. */
    public static final Principal ANONYMOUS = new Principal("anonymous", null, "anonymous", Map.of(), Map.of(), Set.of(), true, "none");

    private static final AuthenticatedCaller ANONYMOUS_CALLER = AuthenticatedCaller.of(ANONYMOUS);

    private final boolean enabled;
    private final TokenAuthenticator tokens;
    private final DevPrincipalResolver devPrincipals;
    private final PolicyEngine policy;
    private final Set<String> publicPaths;
    private final FreshWorkspaceRoles freshRoles;
    private final CallerJudge judge;

    /**
     * @param devPrincipals null unless {@code auth.devPrincipalHeader} is true
     * @param freshRoles    null, or the live lookup asked when a token lacks the role a request needs
     */
    public RequestAuthorizer(boolean enabled, TokenAuthenticator tokens, DevPrincipalResolver devPrincipals, PolicyEngine policy,
                             Set<String> publicPaths, FreshWorkspaceRoles freshRoles) {
        this(enabled, tokens, devPrincipals, policy, publicPaths, freshRoles, CallerJudge.NONE);
    }

    /** @param judge applies what is known since a token was issued (security events), before the policy decides */
    public RequestAuthorizer(boolean enabled, TokenAuthenticator tokens, DevPrincipalResolver devPrincipals, PolicyEngine policy,
                             Set<String> publicPaths, FreshWorkspaceRoles freshRoles, CallerJudge judge) {
        this.judge = judge;
        this.enabled = enabled;
        this.tokens = tokens;
        this.devPrincipals = devPrincipals;
        this.policy = policy;
        this.publicPaths = Set.copyOf(publicPaths);
        this.freshRoles = freshRoles;
    }

    /** Outcome of a request that may proceed. {@code principal} is null on public paths. */
    public record Authorized(Principal principal, String token, Decision decision) {

        public String workspace() {
            return decision == null ? null : decision.workspace();
        }
    }

    /** Releases background resources (key refresh threads). */
    public void close() {
        tokens.close();
    }

    /**
     * Whether each configured issuer's signing keys are cached (fetching missing ones); empty when
     * authentication is off, as no key is needed then.
     */
    public Map<String, Boolean> signingKeysCached() {
        return enabled ? tokens.signingKeysCached() : Map.of();
    }

    public boolean isPublic(String path) {
        return publicPaths.contains(path);
    }

    /** The gateway's own policy ({@code policy.file}, or the built-in one). */
    public PolicyEngine policy() {
        return policy;
    }

    /** The gateway's public paths ({@code auth.publicPaths}). */
    public Set<String> publicPaths() {
        return publicPaths;
    }

    /**
     * Authenticates and authorizes one request; throws {@link AuthFailure} (401/403/400/503) otherwise.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param devPrincipal  the {@code X-NMP-Principal-Id} header, or null
     */
    public Authorized authorize(String method, String path, String authorization, String devPrincipal) {
        return authorize(method, path, authorization, devPrincipal, policy, publicPaths);
    }

    /**
     * As {@link #authorize(String, String, String, String)}, deciding with another policy (an
     * upstream's, or the one guarding a forward-auth request) and its public paths: the same token
     * checks, freshness judgement and live role refresh.
     */
    public Authorized authorize(String method, String path, String authorization, String devPrincipal, PolicyEngine policy,
                                Set<String> publicPaths) {
        if (publicPaths.contains(path)) {
            return new Authorized(null, null, null);
        }
        if (!enabled) {
            return new Authorized(ANONYMOUS, null, policy.decide(ANONYMOUS_CALLER.subject(), method, path));
        }
        String token = bearer(authorization);
        AuthenticatedCaller caller = judge.judge(identify(token, devPrincipal), token);
        Decision decision = policy.decide(caller.subject(), method, path);
        if (decision.outcome() == Decision.Outcome.MISSING_ROLE && decision.workspace() != null) {
            AuthenticatedCaller current = withCurrentRoles(caller, token);
            if (current != null) {
                caller = current == caller ? caller : judge.judge(current, token);
                decision = policy.decide(caller.subject(), method, path);
            }
        }
        if (!decision.allowed()) {
            throw denial(decision).refusing(caller.principal(), decision.workspace());
        }
        return new Authorized(caller.principal(), token, decision);
    }

    /** The caller with the roles Keycloak holds now, or null when there is no way to ask. */
    private AuthenticatedCaller withCurrentRoles(AuthenticatedCaller caller, String token) {
        if (devPrincipals != null && DevPrincipalResolver.ISSUER.equals(caller.principal().issuer())) {
            return devPrincipals.resolveFresh(caller.principal().subject());
        }
        return freshRoles == null ? null : freshRoles.refresh(caller, token);
    }

    private AuthenticatedCaller identify(String token, String devPrincipal) {
        if (devPrincipals != null) {
            if (devPrincipal != null && !devPrincipal.isBlank()) {
                return devPrincipals.resolve(devPrincipal);
            }
            if (token != null && DevPrincipalResolver.looksLikeEmail(token)) {
                return devPrincipals.resolve(token);
            }
        }
        if (token == null) {
            throw AuthFailure.noCredentials();
        }
        return tokens.authenticate(token);
    }

    /** The bearer token, null when no Authorization header was sent. */
    private static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        // regionMatches: no lower-cased copy of the scheme on every request
        if (!authorization.regionMatches(true, 0, "bearer ", 0, 7)) {
            throw AuthFailure.invalidToken("the Authorization header must use the Bearer scheme");
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty()) {
            throw AuthFailure.invalidToken("empty bearer token");
        }
        return token;
    }

    private static AuthFailure denial(Decision decision) {
        return switch (decision.outcome()) {
            case MISSING_SCOPE -> AuthFailure.insufficientScope(decision.detail(), decision.rule().scopes());
            case BAD_PATH -> AuthFailure.badRequest(decision.detail());
            default -> AuthFailure.forbidden(decision.detail());
        };
    }
}
