package io.keygate.gateway.auth;

import io.keygate.gateway.policy.PolicySubject;

/**
 * A verified principal together with its policy view (computed once, reused for every request
 * carrying the same token), and the token facts that freshness needs to judge it.
 *
 * @param issuedAtMillis  the token's {@code iat} in milliseconds (0 when the token has none, or for dev
 *                        and anonymous callers): revocations at or after it apply to the token
 * @param rolesAsOfMillis the time as of which {@link #principal()}'s roles are known to be true: the
 *                        token's {@code iat}, or when they were last looked up live or taken from a change
 * @param sessionId       the token's {@code sid}, or null
 */
public record AuthenticatedCaller(Principal principal, PolicySubject subject, long issuedAtMillis, long rolesAsOfMillis, String sessionId) {

    /** A caller without token facts (dev principals, anonymous). */
    public static AuthenticatedCaller of(Principal principal) {
        return new AuthenticatedCaller(principal, new PrincipalSubject(principal), 0, 0, null);
    }

    /** A caller from a verified token issued at {@code issuedAtMillis}. */
    public static AuthenticatedCaller fromToken(Principal principal, long issuedAtMillis, String sessionId) {
        return new AuthenticatedCaller(principal, new PrincipalSubject(principal), issuedAtMillis, issuedAtMillis, sessionId);
    }

    /** The same token's caller with other roles, true as of {@code asOfMillis}. */
    public AuthenticatedCaller withPrincipal(Principal other, long asOfMillis) {
        return new AuthenticatedCaller(other, new PrincipalSubject(other), issuedAtMillis, asOfMillis, sessionId);
    }
}
