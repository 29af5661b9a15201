package io.keygate.keycloak.freshness.store;

import com.google.auto.service.AutoService;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers {@link SsfJpaEntityProvider}; Keycloak runs its Liquibase changelog at start-up. */
@AutoService(JpaEntityProviderFactory.class)
public final class SsfJpaEntityProviderFactory implements JpaEntityProviderFactory {

    public static final String ID = "keygate-ssf";

    private static final SsfJpaEntityProvider PROVIDER = new SsfJpaEntityProvider();

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
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
