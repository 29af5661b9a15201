package org.keycloak.connections.jpa.entityprovider;

import java.util.List;
import org.keycloak.provider.Provider;

/** Compile-time copy of Keycloak's interface (keycloak-model-jpa); Keycloak's own class is used at run time. */
public interface JpaEntityProvider extends Provider {

    List<Class<?>> getEntities();

    String getChangelogLocation();

    String getFactoryId();
}
