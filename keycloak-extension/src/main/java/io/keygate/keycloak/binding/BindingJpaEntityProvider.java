package io.keygate.keycloak.binding;

import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Adds the role-binding table {@code KEYGATE_BINDING} and its member counts {@code KEYGATE_MEMBER_COUNT} to Keycloak's database (Liquibase changelog below). */
public final class BindingJpaEntityProvider implements JpaEntityProvider {

    static final String CHANGELOG = "META-INF/keygate-binding-changelog.xml";

    @Override
    public List<Class<?>> getEntities() {
        return List.of(BindingEntity.class, MemberCountEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return CHANGELOG;
    }

    @Override
    public String getFactoryId() {
        return BindingJpaEntityProviderFactory.ID;
    }

    @Override
    public void close() {
    }
}
