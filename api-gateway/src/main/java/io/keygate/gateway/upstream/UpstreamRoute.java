package io.keygate.gateway.upstream;

import io.keygate.gateway.policy.PolicyEngine;
import java.util.Set;

/**
 * A path prefix of the gateway forwarded to an upstream service ({@code upstreams[]} in the
 * configuration), guarded by a policy before anything is forwarded.
 *
 * @param prefix      {@code /nmp}: the route covers {@code /nmp} and everything under {@code /nmp/}
 * @param stripPrefix the upstream (and the policy) see the path without the prefix
 * @param settings    where and how to forward
 * @param policy      the policy deciding the path as the upstream sees it
 * @param publicPaths upstream paths that need no token (forwarded without identity)
 */
public record UpstreamRoute(String prefix, boolean stripPrefix, UpstreamSettings settings, PolicyEngine policy,
                            Set<String> publicPaths) {

    public UpstreamRoute {
        if (prefix == null || !prefix.matches("(/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+")) {
            throw new IllegalArgumentException("must be a path like /service (no trailing slash, no parameters), got '" + prefix + "'");
        }
        publicPaths = Set.copyOf(publicPaths);
    }

    /** True when {@code path} is the prefix or lies under it. */
    public boolean covers(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The path the upstream and the policy see for a gateway path this route covers. */
    public String upstreamPath(String path) {
        if (!stripPrefix) {
            return path;
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() ? "/" : rest;
    }
}
