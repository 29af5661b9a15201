package io.keygate.keycloak.freshness.store;

import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Adds the freshness outbox and stream tables ({@code KEYGATE_SSF_*}) to Keycloak's database. */
public final class SsfJpaEntityProvider implements JpaEntityProvider {

    static final String CHANGELOG = "META-INF/keygate-ssf-changelog.xml";

    @Override
    public List<Class<?>> getEntities() {
        return List.of(SsfEventEntity.class, SsfStreamEntity.class, SsfAckEntity.class, SsfCounterEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return CHANGELOG;
    }

    @Override
    public String getFactoryId() {
        return SsfJpaEntityProviderFactory.ID;
    }

    @Override
    public void close() {
    }
}
