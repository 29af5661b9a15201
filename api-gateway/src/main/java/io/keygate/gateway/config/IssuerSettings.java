package io.keygate.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One trusted token issuer. A token is routed here only when its {@code iss} equals
 * {@link #issuer()} exactly; its keys come only from {@link #jwks()} (or the {@code jwks_uri} of
 * {@link #discovery()}), never from the token.
 */
public record IssuerSettings(
        String name,
        String issuer,
        URI jwks,
        URI discovery,
        Set<String> audiences,
        List<String> algorithms,
        Duration clockSkew,
        Duration jwksTimeout,
        Duration jwksCacheTtl,
        Duration jwksRefreshAhead,
        Duration jwksRateLimit,
        Duration jwksOutageTolerance,
        ClaimNamesSettings claims,
        String serviceAccountClaim,
        List<ClaimMapping> claimMappings) {

    public IssuerSettings {
        audiences = Set.copyOf(audiences);
        algorithms = List.copyOf(algorithms);
        claimMappings = List.copyOf(claimMappings);
    }

    /**
     * Where this issuer's claims live; dotted paths reach into nested objects.
     *
     * @param principal  the subject claim
     * @param email      the email claim
     * @param name       the display-name claim
     * @param workspaces the workspace-role map claim
     * @param orgs       the organization map claim
     * @param scopes     the scope claim (space-separated string or list)
     * @param realmRoles the realm-role list that may contain the platform-admin role
     */
    public record ClaimNamesSettings(String principal, String email, String name, String workspaces, String orgs,
                                     String scopes, String realmRoles) {
    }
}
