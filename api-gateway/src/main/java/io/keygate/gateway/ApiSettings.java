package io.keygate.gateway;

import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.login.DiscoverySettings;
import io.keygate.gateway.store.StoreConfig;
import io.keygate.gateway.workspaces.CleanupSettings;

/**
 * What the gateway's API needs to run: its store, the Keycloak realm it forwards workspace and
 * member operations to, its own service-account credentials (for background cleanup), and the
 * inference upstream.
 *
 * @param store                  the store (H2 file by default, PostgreSQL by JDBC URL)
 * @param realmUrl               {@code http://keycloak:8080/realms/keygate}; empty when there is no Keycloak
 * @param gatewayClientId        confidential client of the gateway ({@code keygate-gateway})
 * @param gatewayClientSecret    its secret (never logged)
 * @param inference              inference upstream
 * @param callerlessUsesService  true only when requests may arrive without a token (auth disabled or
 *                               dev-header mode): workspace calls then use the service account
 * @param discovery              what {@code /apis/auth/discovery} tells the CLI and SDK
 * @param cleanup                how workspace cleanups run (lease duration)
 */
public record ApiSettings(StoreConfig store, String realmUrl, String gatewayClientId, String gatewayClientSecret,
                          InferenceConfig inference, boolean callerlessUsesService, DiscoverySettings discovery,
                          CleanupSettings cleanup) {

    /** Settings with the default cleanup (30 s leases). */
    public ApiSettings(StoreConfig store, String realmUrl, String gatewayClientId, String gatewayClientSecret,
                       InferenceConfig inference, boolean callerlessUsesService, DiscoverySettings discovery) {
        this(store, realmUrl, gatewayClientId, gatewayClientSecret, inference, callerlessUsesService, discovery, CleanupSettings.defaults());
    }

    /** Settings with the default login discovery (authentication on). */
    public ApiSettings(StoreConfig store, String realmUrl, String gatewayClientId, String gatewayClientSecret,
                       InferenceConfig inference, boolean callerlessUsesService) {
        this(store, realmUrl, gatewayClientId, gatewayClientSecret, inference, callerlessUsesService, DiscoverySettings.defaults());
    }

    public ApiSettings {
        discovery = discovery == null ? DiscoverySettings.defaults() : discovery;
        cleanup = cleanup == null ? CleanupSettings.defaults() : cleanup;
        realmUrl = realmUrl == null ? "" : (realmUrl.endsWith("/") ? realmUrl.substring(0, realmUrl.length() - 1) : realmUrl);
        gatewayClientId = gatewayClientId == null || gatewayClientId.isBlank() ? "keygate-gateway" : gatewayClientId;
        gatewayClientSecret = gatewayClientSecret == null ? "" : gatewayClientSecret;
        inference = inference == null ? InferenceConfig.none() : inference;
    }

    public boolean hasKeycloak() {
        return !realmUrl.isEmpty();
    }
}
