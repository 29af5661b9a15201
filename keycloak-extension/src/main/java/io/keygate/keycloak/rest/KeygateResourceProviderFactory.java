package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Registers the keygate REST API at {@code /realms/{realm}/keygate}; owns the per-workspace locks. */
@AutoService(RealmResourceProviderFactory.class)
public final class KeygateResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "keygate";

    private final WorkspaceLocks locks = new WorkspaceLocks();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new KeygateResourceProvider(session, locks, json);
    }

    @Override
    public void init(Config.Scope config) {
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
