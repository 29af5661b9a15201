package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
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
 * ({@code spi-realm-restapi-extension--keygate--*}) at start-up.
 */
@AutoService(RealmResourceProviderFactory.class)
public final class KeygateResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "keygate";

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
        LOG.infof("keygate REST API accepts access tokens with audience %s and service-account tokens of %s",
                new TreeSet<>(tokenPolicy.audiences()), new TreeSet<>(tokenPolicy.serviceAccountClients()));
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ApiTokenPolicy.configMetadata();
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
