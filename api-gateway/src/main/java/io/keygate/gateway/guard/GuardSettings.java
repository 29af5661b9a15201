package io.keygate.gateway.guard;

import io.keygate.gateway.policy.PolicyEngine;
import io.keygate.gateway.auth.IdentityHeaderNames;
import io.keygate.gateway.auth.RequestAuthorizer;
import io.keygate.gateway.config.ConfigTree;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.guard.OriginalRequest.Convention;
import io.keygate.gateway.policy.PolicyLoader;
import io.keygate.gateway.upstream.UpstreamRoute;
import io.keygate.gateway.upstream.UpstreamSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code forwardAuth.*} and {@code upstreams[]} configuration, validated, with every policy file
 * it names loaded once. A policy value of {@code ""} or {@code gateway} means the gateway's own
 * policy ({@code policy.file}, else the built-in one); anything else is a policy file path (NeMo
 * Platform's {@code static-authz.yaml} loads unchanged).
 *
 * @param enabled     serve {@code /forward-auth}
 * @param port        also serve it on this port (0: only on the gateway's port)
 * @param envoyPrefix the path under which Envoy's ext_authz requests arrive
 * @param conventions the original-request conventions read ({@link OriginalRequest})
 * @param identity    the identity header names (shared with every upstream route and the inference proxy)
 * @param guards      which policy decides which host / prefix; never empty
 * @param upstreams   the gateway's own upstream routes
 */
public record GuardSettings(boolean enabled, int port, String envoyPrefix, Set<Convention> conventions, IdentityHeaderNames identity,
                            List<Guard> guards, List<UpstreamRoute> upstreams) {

    /** The path of the forward-auth endpoint. */
    public static final String PATH = "/forward-auth";

    static final Set<String> GUARD_KEYS = Set.of("host", "prefix", "stripPrefix", "policy", "publicPaths");
    static final Set<String> UPSTREAM_KEYS = Set.of("prefix", "url", "stripPrefix", "policy", "publicPaths", "forwardAuthorization",
            "forwardDevHeaders", "connectTimeout", "readTimeout");

    private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    public GuardSettings {
        conventions = Set.copyOf(conventions);
        guards = List.copyOf(guards);
        upstreams = List.copyOf(upstreams);
    }

    /** Reads the settings; the gateway's own policy and public paths come from {@code authorizer}. */
    public static GuardSettings from(GatewayConfig config, RequestAuthorizer authorizer) {
        ConfigTree tree = config.tree();
        Policies policies = new Policies(authorizer);
        IdentityHeaderNames identity = identity(tree);
        String envoyPrefix = tree.string("forwardAuth.envoyPrefix");
        if (!envoyPrefix.startsWith(PATH + "/") || envoyPrefix.endsWith("/") || envoyPrefix.contains("{")) {
            throw ConfigTree.invalid("forwardAuth.envoyPrefix", "must lie under " + PATH + "/ and not end with '/', got '" + envoyPrefix + "'");
        }
        Set<Convention> conventions = EnumSet.noneOf(Convention.class);
        for (String name : tree.strings("forwardAuth.conventions")) {
            try {
                conventions.add(Convention.parse(name));
            } catch (IllegalArgumentException e) {
                throw ConfigTree.invalid("forwardAuth.conventions", e.getMessage());
            }
        }
        if (conventions.isEmpty()) {
            throw ConfigTree.invalid("forwardAuth.conventions", "must list at least one of nginx, forwarded, envoy");
        }
        return new GuardSettings(tree.bool("forwardAuth.enabled"), tree.integer("forwardAuth.port", 0, 65535), envoyPrefix, conventions,
                identity, guards(tree, policies), upstreams(tree, policies));
    }

    /** The identity header names ({@code forwardAuth.identityHeaders.*}). */
    public static IdentityHeaderNames identity(ConfigTree tree) {
        String key = "forwardAuth.identityHeaders";
        try {
            return new IdentityHeaderNames(tree.string(key + ".principal"), tree.string(key + ".email"), tree.string(key + ".workspace"),
                    tree.string(key + ".role"), tree.string(key + ".scopes"));
        } catch (IllegalArgumentException e) {
            throw ConfigTree.invalid(key, e.getMessage());
        }
    }

    private static List<Guard> guards(ConfigTree tree, Policies policies) {
        List<Guard> out = new ArrayList<>();
        for (int i = 0; i < tree.size("forwardAuth.guards"); i++) {
            String key = "forwardAuth.guards." + i;
            checkKeys(tree, key, GUARD_KEYS);
            String prefix = tree.string(key + ".prefix").isEmpty() ? "/" : tree.string(key + ".prefix");
            String policy = tree.string(key + ".policy");
            try {
                out.add(new Guard(tree.string(key + ".host"), prefix, optionalBool(tree, key + ".stripPrefix", false),
                        policies.load(policy, key + ".policy"), publicPaths(tree, key, policies, policy), policies.source(policy)));
            } catch (IllegalArgumentException e) {
                throw ConfigTree.invalid(key + ".prefix", e.getMessage());
            }
        }
        if (out.isEmpty()) {
            out.add(new Guard("", "/", false, policies.load("", "policy.file"), policies.gatewayPublicPaths(), policies.source("")));
        }
        return out;
    }

    private static List<UpstreamRoute> upstreams(ConfigTree tree, Policies policies) {
        List<UpstreamRoute> out = new ArrayList<>();
        for (int i = 0; i < tree.size("upstreams"); i++) {
            String key = "upstreams." + i;
            checkKeys(tree, key, UPSTREAM_KEYS);
            URI url = tree.httpUrl(key + ".url");
            if (url == null) {
                throw ConfigTree.invalid(key + ".url", "is required");
            }
            UpstreamSettings settings;
            try {
                settings = new UpstreamSettings(url, optionalBool(tree, key + ".forwardAuthorization", false),
                        optionalBool(tree, key + ".forwardDevHeaders", false), optionalDuration(tree, key + ".connectTimeout"),
                        optionalDuration(tree, key + ".readTimeout"));
            } catch (IllegalArgumentException e) {
                throw ConfigTree.invalid(key + ".url", e.getMessage());
            }
            String policy = tree.string(key + ".policy");
            try {
                UpstreamRoute route = new UpstreamRoute(tree.string(key + ".prefix"), optionalBool(tree, key + ".stripPrefix", true), settings,
                        policies.load(policy, key + ".policy"), publicPaths(tree, key, policies, policy));
                checkNotTheGatewaysOwn(route, policies);
                for (UpstreamRoute other : out) {
                    if (other.covers(route.prefix()) || route.covers(other.prefix())) {
                        throw new IllegalArgumentException("overlaps " + other.prefix());
                    }
                }
                out.add(route);
            } catch (IllegalArgumentException e) {
                throw ConfigTree.invalid(key + ".prefix", e.getMessage());
            }
        }
        return out;
    }

    /** An upstream prefix must not shadow the gateway's own endpoints, public paths or {@code /forward-auth}. */
    private static void checkNotTheGatewaysOwn(UpstreamRoute route, Policies policies) {
        List<String> own = new ArrayList<>(policies.gatewayPublicPaths());
        own.add(PATH);
        policies.load("", "policy.file").model().rules().forEach(rule -> own.add(rule.pattern()));
        for (String path : own) {
            if (route.covers(path) || path.startsWith(route.prefix() + "/")) {
                throw new IllegalArgumentException("covers the gateway's own " + path);
            }
        }
    }

    private static Set<String> publicPaths(ConfigTree tree, String key, Policies policies, String policy) {
        if (tree.get(key + ".publicPaths") == null) {
            return Policies.isGateway(policy) ? policies.gatewayPublicPaths() : Set.of();
        }
        return new LinkedHashSet<>(tree.strings(key + ".publicPaths"));
    }

    private static void checkKeys(ConfigTree tree, String key, Set<String> known) {
        Object entry = tree.get(key);
        if (!(entry instanceof Map<?, ?> map)) {
            throw ConfigTree.invalid(key, "must be a mapping");
        }
        for (Object name : map.keySet()) {
            if (!known.contains(String.valueOf(name))) {
                throw ConfigTree.invalid(key + "." + name, "is not a known key (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static boolean optionalBool(ConfigTree tree, String key, boolean fallback) {
        return tree.get(key) == null ? fallback : tree.bool(key);
    }

    private static Duration optionalDuration(ConfigTree tree, String key) {
        return tree.get(key) == null ? null : tree.duration(key, MAX_TIMEOUT);
    }

    /** The policies named in the configuration, each file loaded once. */
    private static final class Policies {
        private final RequestAuthorizer authorizer;
        private final Map<String, PolicyEngine> files = new HashMap<>();

        Policies(RequestAuthorizer authorizer) {
            this.authorizer = authorizer;
        }

        static boolean isGateway(String policy) {
            return policy.isEmpty() || policy.equals("gateway");
        }

        PolicyEngine load(String policy, String key) {
            if (isGateway(policy)) {
                return authorizer.policy();
            }
            return files.computeIfAbsent(policy, file -> {
                if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(file))) {
                    throw ConfigTree.invalid(key, "names no readable policy file: " + file);
                }
                return PolicyLoader.fromFile(java.nio.file.Path.of(file));
            });
        }

        String source(String policy) {
            return isGateway(policy) ? "the gateway's policy" : policy;
        }

        Set<String> gatewayPublicPaths() {
            return authorizer.publicPaths();
        }
    }
}
