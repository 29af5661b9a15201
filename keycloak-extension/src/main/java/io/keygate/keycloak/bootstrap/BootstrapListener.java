package io.keygate.keycloak.bootstrap;

import io.keygate.keycloak.org.OrgRoles;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Once Keycloak has started (after migration and realm import), and for each realm created later
 * (also by import): moves legacy membership attributes into the binding table ({@link BindingMigration}),
 * then ensures the built-in workspaces and the organization role groups, in every realm but {@code master}.
 * Keycloak fires no event when an organization is created, so an organization made after start-up
 * gets its role groups when its first member joins (and, in realms with the {@code keygate-events}
 * listener, at once from the admin event).
 */
public final class BootstrapListener implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(BootstrapListener.class);

    private final KeycloakSessionFactory factory;

    public BootstrapListener(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream().toList()
                    .forEach(realm -> ensure(session, realm)));
            LOG.info("keygate built-in workspaces ensured in every realm");
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            ensure(created.getKeycloakSession(), created.getCreatedRealm());
        } else if (event instanceof OrganizationModel.OrganizationMemberJoinEvent joined) {
            RealmModel realm = joined.getSession().getContext().getRealm();
            if (realm != null) {
                new OrgRoles(joined.getSession(), realm).ensureRoleGroups(joined.getOrganization().getId());
            }
        }
    }

    private static void ensure(KeycloakSession session, RealmModel realm) {
        if (!"master".equals(realm.getName())) {
            new BindingMigration(session, realm).migrateOnce();
        }
        BuiltInWorkspaces.ensure(session, realm);
        if (!"master".equals(realm.getName())) {
            new OrgRoles(session, realm).ensureRoleGroups();
        }
    }
}
