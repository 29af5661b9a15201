package org.keycloak.connections.jpa.entityprovider;

import org.keycloak.provider.ProviderFactory;

/** Compile-time copy of Keycloak's interface (keycloak-model-jpa); Keycloak's own class is used at run time. */
public interface JpaEntityProviderFactory extends ProviderFactory<JpaEntityProvider> {
}
