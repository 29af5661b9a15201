package io.keygate.gateway.guard;

import io.keygate.gateway.auth.PolicyRouting;
import io.keygate.gateway.upstream.UpstreamRoute;

/**
 * Tells the access filter that {@code /forward-auth} decides for itself and which policy guards each
 * configured upstream prefix (the path as the upstream sees it).
 */
public final class GuardRouting implements PolicyRouting {

    private final GuardSettings settings;

    public GuardRouting(GuardSettings settings) {
        this.settings = settings;
    }

    @Override
    public Route route(String path) {
        if (settings.enabled() && isForwardAuth(path)) {
            return Route.SELF_DECIDING;
        }
        for (UpstreamRoute upstream : settings.upstreams()) {
            if (upstream.covers(path)) {
                return new Route(upstream.policy(), upstream.upstreamPath(path), upstream.publicPaths());
            }
        }
        return null;
    }

    /** {@code /forward-auth}, or a path under the Envoy prefix. */
    boolean isForwardAuth(String path) {
        return path.equals(GuardSettings.PATH) || path.equals(settings.envoyPrefix()) || path.startsWith(settings.envoyPrefix() + "/");
    }
}
