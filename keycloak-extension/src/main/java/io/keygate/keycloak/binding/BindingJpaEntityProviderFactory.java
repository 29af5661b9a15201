package io.keygate.keycloak.binding;

import com.google.auto.service.AutoService;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers {@link BindingJpaEntityProvider}; Keycloak runs its changelog once per database at start-up. */
@AutoService(JpaEntityProviderFactory.class)
public final class BindingJpaEntityProviderFactory implements JpaEntityProviderFactory {

    public static final String ID = "keygate-binding";

    private final BindingJpaEntityProvider provider = new BindingJpaEntityProvider();

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return provider;
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
