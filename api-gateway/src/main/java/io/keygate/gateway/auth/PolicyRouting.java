package io.keygate.gateway.auth;

import io.keygate.gateway.policy.PolicyEngine;
import java.util.Set;

/**
 * Which policy the access filter applies to a request path that is not (only) the gateway's own
 * API: a configured upstream prefix guarded by its own policy file, or a route that decides for
 * itself ({@code /forward-auth}, which decides the proxied request, not its own path).
 */
@FunctionalInterface
public interface PolicyRouting {

    /** Every path is the gateway's own API, decided by the gateway's policy. */
    PolicyRouting NONE = path -> null;

    /**
     * How to decide {@code path}: null for the gateway's policy on the path itself,
     * {@link Route#SELF_DECIDING} for a route that authorizes inside its handler.
     */
    Route route(String path);

    /**
     * @param policy      the policy that decides
     * @param decidedPath the path as that policy knows it (for example without the route's prefix)
     * @param publicPaths decided paths that need no token (no identity is established for them)
     */
    record Route(PolicyEngine policy, String decidedPath, Set<String> publicPaths) {

        /** The handler authorizes the request itself; the filter leaves it alone. */
        public static final Route SELF_DECIDING = new Route(null, null, Set.of());

        public boolean selfDeciding() {
            return policy == null;
        }
    }
}
