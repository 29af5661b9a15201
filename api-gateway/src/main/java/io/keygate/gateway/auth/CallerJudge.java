package io.keygate.gateway.auth;

/**
 * A second look at a verified caller, with what the gateway learned after the token was issued
 * (issue 8: security events from the issuer). Called on every request after the token was verified
 * (or taken from the cache) and again after a live role refresh.
 *
 * <p>Contract: returns {@code caller} itself when nothing newer is known (the steady state must
 * cost no network call); otherwise a caller with the roles that are true now, or throws
 * {@link AuthFailure} (401 for an ended session, 503 when roles cannot be established). It may
 * only take rights away or replace them with the issuer's current truth, never invent any.
 */
@FunctionalInterface
public interface CallerJudge {

    /** Judges nothing: every caller stands as its token says. */
    CallerJudge NONE = (caller, token) -> caller;

    AuthenticatedCaller judge(AuthenticatedCaller caller, String token);
}
