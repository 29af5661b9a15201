package io.keygate.keycloak.pending;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Event listener {@code keygate-events}: turns pending grants into memberships when a user
 * appears (REGISTER, which also covers first broker login; admin CREATE USER) and, as a safety
 * net, on every LOGIN. A failure here is logged and never breaks the login or the admin call.
 */
public final class KeygateEventListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(KeygateEventListener.class);

    private final KeycloakSession session;

    public KeygateEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getUserId() == null) {
            return;
        }
        EventType type = event.getType();
        if (type == EventType.REGISTER || type == EventType.LOGIN || type == EventType.IDENTITY_PROVIDER_FIRST_LOGIN) {
            resolve(event.getRealmId(), event.getUserId());
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getOperationType() != OperationType.CREATE || event.getResourceType() != ResourceType.USER) {
            return;
        }
        String path = event.getResourcePath();
        if (path != null && path.startsWith("users/")) {
            resolve(event.getRealmId(), path.substring("users/".length()));
        }
    }

    private void resolve(String realmId, String userId) {
        try {
            if (session.getTransactionManager().isActive()) {
                resolveIn(session, realmId, userId);
            } else {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> resolveIn(s, realmId, userId));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not resolve pending workspace grants of user %s", userId);
        }
    }

    private static void resolveIn(KeycloakSession session, String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        UserModel user = session.users().getUserById(realm, userId);
        if (user != null) {
            new PendingGrants(session, realm).resolve(user);
        }
    }

    @Override
    public void close() {
    }
}
