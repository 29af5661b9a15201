package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import io.keygate.core.api.ExtensionApi;
import io.keygate.keycloak.membership.PlatformAdminRole;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Registers the keygate REST API at {@code /realms/{realm}/keygate}; owns the per-workspace locks
 * and the {@link ApiTokenPolicy} read from this provider's configuration
 * ({@code spi-realm-restapi-extension--keygate--*}) at start-up, and declares the
 * {@link PlatformAdminRole} property that the whole extension reads.
 */
@AutoService(RealmResourceProviderFactory.class)
public final class KeygateResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = ExtensionApi.PROVIDER_ID;

    private static final Logger LOG = Logger.getLogger(KeygateResourceProviderFactory.class);

    private final WorkspaceLocks locks = new WorkspaceLocks();
    private final ObjectMapper json = new ObjectMapper();
    private ApiTokenPolicy tokenPolicy = ApiTokenPolicy.DEFAULTS;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new KeygateResourceProvider(session, locks, json, tokenPolicy);
    }

    @Override
    public void init(Config.Scope config) {
        tokenPolicy = ApiTokenPolicy.from(config);
        LOG.infof("keygate REST API accepts access tokens with audience %s and service-account tokens of %s; PlatformAdmin is realm role '%s'",
                new TreeSet<>(tokenPolicy.audiences()), new TreeSet<>(tokenPolicy.serviceAccountClients()),
                PlatformAdminRole.from(config).name());
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> properties = new ArrayList<>(ApiTokenPolicy.configMetadata());
        properties.addAll(PlatformAdminRole.configMetadata());
        return properties;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
