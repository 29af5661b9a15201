package io.keygate.keycloak.freshness.store;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** The JPA entity manager of a session's transaction (the freshness tables live in Keycloak's database). */
public final class Jpa {

    private Jpa() {
    }

    public static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
