package io.keygate.gateway.auth;

import io.keygate.core.api.ExtensionApi;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.config.IssuerSettings;
import java.util.List;
import java.util.Map;

/**
 * Current workspace roles for a caller whose token is older than a membership change: the
 * workspace they just created, a workspace they were just added to, a role they were just
 * promoted to. Without this, such a caller is refused until their token is renewed.
 *
 * <p>Contract: asked only after the policy refused a request for lack of a role in the path's
 * workspace; only for tokens of the Keycloak realm configured under {@code keycloak} (the realm
 * whose extension serves {@code me/workspaces}), whose issuer URL it is; with the caller's own,
 * already verified token, so Keycloak answers with that caller's live membership and nothing
 * else. The answer can only reflect Keycloak's current truth: it may grant what the token lacks,
 * and it replaces the token's roles for that request. A revoked role still lasts until the
 * token expires, as with any JWT. Answers are cached per token for {@link #TTL_MILLIS} in a
 * {@link VerifiedTokenCache}, so repeated refusals cost no further calls; a failed lookup leaves
 * the refusal as it was.
 */
public final class FreshWorkspaceRoles {

    static final long TTL_MILLIS = 30_000;
    private static final String CLAIM = "workspaces";

    private final OverageResolver source;
    private final String issuerName;
    private final String endpoint;
    private final String issuerUrl;
    private final VerifiedTokenCache answers;

    FreshWorkspaceRoles(OverageResolver source, String issuerName, String issuerUrl, int maxEntries) {
        this.source = source;
        this.issuerName = issuerName;
        this.issuerUrl = issuerUrl;
        this.endpoint = ExtensionApi.myWorkspacesUrl(issuerUrl);
        this.answers = new VerifiedTokenCache(maxEntries);
    }

    /** The lookup for the configured keygate realm, or null when no configured issuer is that realm. */
    public static FreshWorkspaceRoles forConfiguredRealm(GatewayConfig config, OverageResolver source) {
        String realmIssuer = config.keycloak().realmUrl();
        List<IssuerSettings> issuers = config.issuers();
        for (IssuerSettings issuer : issuers) {
            if (issuer.issuer().equals(realmIssuer)) {
                return new FreshWorkspaceRoles(source, issuer.name(), realmIssuer, config.auth().tokenCacheMaxEntries());
            }
        }
        return null;
    }

    /**
     * The caller with live workspace roles (the caller unchanged when the lookup failed), or null
     * when this token is not from the keygate realm.
     */
    AuthenticatedCaller refresh(AuthenticatedCaller caller, String token) {
        if (token == null || !issuerName.equals(caller.principal().issuer())) {
            return null;
        }
        long now = System.currentTimeMillis();
        AuthenticatedCaller cached = answers.get(token, now);
        if (cached != null) {
            return cached;
        }
        AuthenticatedCaller fresh = lookUp(caller, token);
        answers.put(token, fresh, now + TTL_MILLIS, now);
        return fresh;
    }

    private AuthenticatedCaller lookUp(AuthenticatedCaller caller, String token) {
        Principal principal = caller.principal();
        try {
            Object live = source.fetch(endpoint, token, issuerUrl, CLAIM);
            if (!(live instanceof Map<?, ?> roles)) {
                return caller;
            }
            return caller.withPrincipal(new Principal(principal.subject(), principal.email(), principal.displayName(),
                    PrincipalMapper.parseRoles(roles), principal.orgRoles(), principal.scopes(), principal.platformAdmin(),
                    principal.issuer()), System.currentTimeMillis());
        } catch (AuthFailure lookupFailed) {
            return caller;
        }
    }
}
