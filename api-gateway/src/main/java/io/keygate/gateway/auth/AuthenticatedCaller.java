package io.keygate.gateway.auth;

import io.keygate.core.policy.Caller;

/**
 * A verified principal together with its policy view (computed once, reused for every request
 * carrying the same token).
 */
public record AuthenticatedCaller(Principal principal, Caller caller) {

    public static AuthenticatedCaller of(Principal principal) {
        return new AuthenticatedCaller(principal, new PrincipalCaller(principal));
    }
}
