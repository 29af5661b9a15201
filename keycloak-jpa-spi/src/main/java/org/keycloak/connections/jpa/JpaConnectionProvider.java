package org.keycloak.connections.jpa;

import jakarta.persistence.EntityManager;
import org.keycloak.provider.Provider;

/** Compile-time copy of Keycloak's interface (keycloak-model-jpa); Keycloak's own class is used at run time. */
public interface JpaConnectionProvider extends Provider {

    EntityManager getEntityManager();
}
