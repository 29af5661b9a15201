package io.keygate.gateway.guard;

import io.keygate.gateway.policy.PolicyEngine;
import java.util.Set;

/**
 * Which policy decides forward-auth requests for a host and path prefix ({@code forwardAuth.guards[]}).
 *
 * @param host        lower-case host the guard applies to; empty for any host
 * @param prefix      path prefix ({@code /} for everything); matched on whole segments
 * @param stripPrefix the policy sees the path without the prefix (a proxy that maps {@code /nmp/...} to NMP's {@code /...})
 * @param policy      the deciding policy
 * @param publicPaths decided paths that need no token
 * @param source      where the policy came from, for logs and details
 */
public record Guard(String host, String prefix, boolean stripPrefix, PolicyEngine policy, Set<String> publicPaths, String source) {

    public Guard {
        host = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        if (prefix == null || !prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
            throw new IllegalArgumentException("prefix must start with '/' and not end with one, got '" + prefix + "'");
        }
        publicPaths = Set.copyOf(publicPaths);
    }

    boolean covers(String requestHost, String path) {
        if (!host.isEmpty() && !host.equals(requestHost)) {
            return false;
        }
        return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** More specific first: a named host before any host, then the longer prefix. */
    int specificity() {
        return (host.isEmpty() ? 0 : 1 << 20) + prefix.length();
    }

    /** The path the policy decides. */
    String decidedPath(String path) {
        if (!stripPrefix || prefix.equals("/")) {
            return path;
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() ? "/" : rest;
    }
}
