package io.keygate.gateway.config;

import io.keygate.core.OrgRole;
import io.keygate.core.api.ExtensionApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated gateway configuration. Built only by {@link ConfigLoader}; {@link #tree()} gives
 * access to keys that later route modules define.
 */
public record GatewayConfig(
        Server server,
        Auth auth,
        Keycloak keycloak,
        String policyFile,
        AuditSinkKind auditSink,
        List<IssuerSettings> issuers,
        ConfigTree tree) {

    /** Where audit entries go ({@code audit.sink}); the sink itself is made by {@code audit.AuditSinks}. */
    public enum AuditSinkKind {
        LOG, JDBC, NONE;

        /** {@code log}, {@code jdbc} or {@code none}; empty for anything else. */
        static java.util.Optional<AuditSinkKind> parse(String name) {
            return java.util.Arrays.stream(values()).filter(kind -> kind.name().toLowerCase(java.util.Locale.ROOT).equals(name)).findFirst();
        }
    }

    /** Algorithms an issuer may list: asymmetric only, so no shared secret can ever verify a token. */
    public static final Set<String> ALLOWED_ALGORITHMS = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * @param maxRequestHeaderBytes request line plus headers (Jetty's limit: 431, or 414 for the line)
     * @param maxUriBytes           longest request target (path and query) accepted; longer is 414
     */
    public record Server(String host, int port, int maxRequestHeaderBytes, int maxUriBytes) {
    }

    /**
     * @param enabled                  false: every request is allowed (quickstart without auth)
     * @param devPrincipalHeader       trust {@code X-NMP-Principal-Id} / {@code Bearer <email>} (development only)
     * @param platformAdminRole        realm role that makes a caller PlatformAdmin
     * @param maxTokenBytes            longer bearer tokens are rejected before parsing
     * @param tokenCacheMaxEntries     bound of the verified-token cache (0 disables it)
     * @param devPrincipalCacheSeconds how long dev-mode role lookups are reused
     * @param publicPaths              exact paths that need no authentication (health, metrics, OpenAPI)
     */
    public record Auth(boolean enabled, boolean devPrincipalHeader, String platformAdminRole, int maxTokenBytes,
                       int tokenCacheMaxEntries, int devPrincipalCacheSeconds, Set<String> publicPaths) {
    }

    /** The Keycloak the extension runs in, and the gateway's own client there. */
    public record Keycloak(URI url, String realm, String clientId, String clientSecret) {

        /** {@code <url>/realms/<realm>}: the realm's URL, which is also its token issuer. */
        public String realmUrl() {
            return ExtensionApi.realmUrl(url.toString(), realm);
        }

        /** Base URL of the extension's REST API: {@code <url>/realms/<realm>/keygate}. */
        public String keygateApi() {
            return ExtensionApi.baseUrl(realmUrl());
        }

        public String tokenEndpoint() {
            return ExtensionApi.tokenEndpoint(realmUrl());
        }
    }

    static GatewayConfig from(ConfigTree tree) {
        Server server = new Server(tree.string("server.host"), tree.integer("server.port", 0, 65535),
                tree.integer("server.maxRequestHeaderBytes", 8192, 1 << 20), tree.integer("server.maxUriBytes", 256, 1 << 20));
        Auth auth = new Auth(tree.bool("auth.enabled"), tree.bool("auth.devPrincipalHeader"),
                nonEmpty(tree, "auth.platformAdminRole"), tree.integer("auth.maxTokenBytes", 1024, 1 << 20),
                tree.integer("auth.tokenCacheMaxEntries", 0, 10_000_000), tree.integer("auth.devPrincipalCacheSeconds", 0, 3600),
                Set.copyOf(tree.strings("auth.publicPaths")));
        if (auth.maxTokenBytes() >= server.maxRequestHeaderBytes()) {
            throw ConfigTree.invalid("auth.maxTokenBytes", "must be smaller than server.maxRequestHeaderBytes");
        }
        URI keycloakUrl = tree.httpUrl("keycloak.url");
        if (keycloakUrl == null) {
            throw ConfigTree.invalid("keycloak.url", "is required");
        }
        Keycloak keycloak = new Keycloak(keycloakUrl, nonEmpty(tree, "keycloak.realm"), tree.string("keycloak.clientId"),
                tree.string("keycloak.clientSecret"));
        AuditSinkKind sink = AuditSinkKind.parse(tree.string("audit.sink")).orElseThrow(() ->
                ConfigTree.invalid("audit.sink", "must be log, jdbc or none, got '" + tree.string("audit.sink") + "'"));
        List<IssuerSettings> issuers = issuers(tree);
        if (auth.enabled() && issuers.isEmpty() && !auth.devPrincipalHeader()) {
            throw ConfigTree.invalid("issuers", "must list at least one issuer when auth.enabled is true");
        }
        if (auth.devPrincipalHeader() && tree.string("keycloak.clientSecret").isEmpty()) {
            throw ConfigTree.invalid("keycloak.clientSecret", "is required when auth.devPrincipalHeader is true "
                    + "(roles of a dev principal are looked up in Keycloak with the gateway's own client)");
        }
        return new GatewayConfig(server, auth, keycloak, tree.string("policy.file"), sink, issuers, tree);
    }

    private static List<IssuerSettings> issuers(ConfigTree tree) {
        List<IssuerSettings> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> urls = new HashSet<>();
        boolean dynamicSeen = false;
        for (int i = 0; i < tree.size("issuers"); i++) {
            IssuerSettings issuer = issuer(tree, "issuers." + i);
            if (!names.add(issuer.name())) {
                throw ConfigTree.invalid("issuers." + i + ".name", "duplicates another issuer's name '" + issuer.name() + "'");
            }
            if (!urls.add(issuer.issuer())) {
                throw ConfigTree.invalid("issuers." + i + ".issuer", "is configured twice: " + issuer.issuer());
            }
            for (ClaimMapping mapping : issuer.claimMappings()) {
                if (mapping.dynamicOrg()) {
                    if (dynamicSeen) {
                        throw ConfigTree.invalid("issuers." + i + ".claimMappings", "only one dynamic-org mapping (orgAttribute) is allowed across all issuers");
                    }
                    dynamicSeen = true;
                }
            }
            out.add(issuer);
        }
        return List.copyOf(out);
    }

    private static IssuerSettings issuer(ConfigTree tree, String key) {
        String issuerUrl = nonEmpty(tree, key + ".issuer");
        URI jwks = tree.httpUrl(key + ".jwks");
        URI discovery = tree.httpUrl(key + ".discovery");
        if ((jwks == null) == (discovery == null)) {
            throw ConfigTree.invalid(key + ".jwks", "exactly one of jwks or discovery must be set");
        }
        List<String> audiences = tree.strings(key + ".audiences");
        if (audiences.isEmpty()) {
            throw ConfigTree.invalid(key + ".audiences", "must list at least one audience");
        }
        List<String> algorithms = tree.strings(key + ".algorithms");
        if (algorithms.isEmpty()) {
            throw ConfigTree.invalid(key + ".algorithms", "must list at least one algorithm");
        }
        for (String algorithm : algorithms) {
            if (!ALLOWED_ALGORITHMS.contains(algorithm)) {
                throw ConfigTree.invalid(key + ".algorithms", "'" + algorithm + "' is not allowed (asymmetric only: "
                        + String.join(", ", new java.util.TreeSet<>(ALLOWED_ALGORITHMS)) + ")");
            }
        }
        IssuerSettings.ClaimNamesSettings claims = new IssuerSettings.ClaimNamesSettings(
                nonEmpty(tree, key + ".claims.principal"), tree.string(key + ".claims.email"), tree.string(key + ".claims.name"),
                tree.string(key + ".claims.workspaces"), tree.string(key + ".claims.orgs"), tree.string(key + ".claims.scopes"),
                tree.string(key + ".claims.realmRoles"));
        return new IssuerSettings(nonEmpty(tree, key + ".name"), issuerUrl, jwks, discovery, new LinkedHashSet<>(audiences), algorithms,
                tree.duration(key + ".clockSkew", MAX_CLOCK_SKEW), tree.duration(key + ".jwksTimeout", Duration.ofMinutes(1)),
                tree.duration(key + ".jwksCacheTtl", Duration.ofDays(1)), tree.duration(key + ".jwksRefreshAhead", Duration.ofHours(1)),
                tree.duration(key + ".jwksRateLimit", Duration.ofHours(1)), tree.duration(key + ".jwksOutageTolerance", Duration.ofDays(30)),
                claims, tree.string(key + ".serviceAccountClaim"), claimMappings(tree, key + ".claimMappings"));
    }

    private static List<ClaimMapping> claimMappings(ConfigTree tree, String key) {
        List<ClaimMapping> out = new ArrayList<>();
        for (int i = 0; i < tree.size(key); i++) {
            String k = key + "." + i;
            Set<OrgRole> roles = new LinkedHashSet<>();
            for (String role : tree.strings(k + ".roles")) {
                roles.add(OrgRoles.parse(role).orElseThrow(() -> ConfigTree.invalid(k + ".roles", "unknown organization role '" + role + "'")));
            }
            boolean serviceAccount = tree.get(k + ".isServiceAccount") != null && tree.bool(k + ".isServiceAccount");
            ClaimMapping mapping = new ClaimMapping(tree.string(k + ".orgName"), tree.string(k + ".orgDisplayName"), roles,
                    tree.string(k + ".rolesAttribute"), tree.string(k + ".orgAttribute"), tree.string(k + ".orgDisplayAttribute"), serviceAccount);
            checkMappingShape(mapping, k);
            out.add(mapping);
        }
        return out;
    }

    private static void checkMappingShape(ClaimMapping m, String key) {
        if (m.dynamicOrg()) {
            if (!m.orgName().isEmpty() || m.rolesAttribute().isEmpty() || m.serviceAccount() || !m.roles().isEmpty()) {
                throw ConfigTree.invalid(key, "a dynamic mapping takes orgAttribute (+ orgDisplayAttribute) + rolesAttribute only");
            }
            return;
        }
        if (m.orgName().isEmpty()) {
            throw ConfigTree.invalid(key + ".orgName", "is required (or use orgAttribute for a dynamic organization)");
        }
        int shapes = (m.roles().isEmpty() ? 0 : 1) + (m.rolesAttribute().isEmpty() ? 0 : 1) + (m.serviceAccount() ? 1 : 0);
        if (shapes != 1) {
            throw ConfigTree.invalid(key, "needs exactly one of roles, rolesAttribute or isServiceAccount: true");
        }
    }

    private static String nonEmpty(ConfigTree tree, String key) {
        String value = tree.string(key);
        if (value.isEmpty()) {
            throw ConfigTree.invalid(key, "is required");
        }
        return value;
    }

    /** Reads a raw value map for modules that keep their own sections (null when absent). */
    public Map<String, Object> section(String key) {
        Object value = tree.get(key);
        return value instanceof Map<?, ?> ? ConfigLoader.asMap(value, key) : null;
    }
}
