package io.keygate.gateway.login;

/**
 * What {@code GET /apis/auth/discovery} tells NeMo Platform's CLI and SDK (keys {@code auth.discovery.*}).
 *
 * @param authEnabled   {@code auth.enabled}: false answers {@code auth_enabled: false} and no OIDC block
 * @param clientId      the public client the CLI logs in with (dev realm: {@code nmp-cli})
 * @param defaultScopes the scopes the CLI requests by default (space-separated)
 * @param scopePrefix   prefix the CLI puts before API scopes ({@code x:y}); empty for none
 */
public record DiscoverySettings(boolean authEnabled, String clientId, String defaultScopes, String scopePrefix) {

    public static final String DEFAULT_CLIENT_ID = "nmp-cli";
    public static final String DEFAULT_SCOPES = "openid profile email";

    public DiscoverySettings {
        clientId = clientId == null || clientId.isBlank() ? DEFAULT_CLIENT_ID : clientId;
        defaultScopes = defaultScopes == null || defaultScopes.isBlank() ? DEFAULT_SCOPES : defaultScopes;
        scopePrefix = scopePrefix == null || scopePrefix.isBlank() ? null : scopePrefix;
    }

    /** The defaults, for a gateway with authentication on. */
    public static DiscoverySettings defaults() {
        return new DiscoverySettings(true, null, null, null);
    }
}
