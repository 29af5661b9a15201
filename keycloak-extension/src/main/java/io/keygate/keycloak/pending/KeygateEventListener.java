package io.keygate.keycloak.pending;

import io.keygate.keycloak.freshness.capture.EventCapture;
import io.keygate.keycloak.org.OrgRoles;
import io.keygate.keycloak.workspace.WholeModel;
import java.util.function.Consumer;
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
 * net, on every LOGIN; and gives an organization created through the admin API its org-role
 * groups at once; and passes logouts, admin sign-outs and user disabling to the freshness
 * transmitter ({@link EventCapture}). A failure here is logged and never breaks the login or the admin call.
 */
public final class KeygateEventListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(KeygateEventListener.class);

    private final KeycloakSession session;
    private final EventCapture eventCapture;

    public KeygateEventListener(KeycloakSession session, EventCapture eventCapture) {
        this.session = session;
        this.eventCapture = eventCapture;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getUserId() == null) {
            return;
        }
        if (eventCapture.captures(event)) {
            run("record the session event " + event.getType() + " of user " + event.getUserId(), s -> eventCapture.onEvent(s, event));
        }
        EventType type = event.getType();
        if (type == EventType.REGISTER || type == EventType.LOGIN || type == EventType.IDENTITY_PROVIDER_FIRST_LOGIN) {
            resolve(event.getRealmId(), event.getUserId());
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (eventCapture.captures(event)) {
            run("record the admin event " + event.getOperationType() + " " + event.getResourcePath(), s -> eventCapture.onEvent(s, event));
        }
        String path = event.getResourcePath();
        if (event.getOperationType() != OperationType.CREATE || path == null) {
            return;
        }
        if (event.getResourceType() == ResourceType.USER && path.startsWith("users/")) {
            resolve(event.getRealmId(), path.substring("users/".length()));
        } else if (event.getResourceType() == ResourceType.ORGANIZATION && path.startsWith("organizations/")) {
            String organizationId = path.substring("organizations/".length());
            run("create the org-role groups of organization " + organizationId,
                    s -> new OrgRoles(s, s.realms().getRealm(event.getRealmId())).ensureRoleGroups(organizationId));
        }
    }

    private void resolve(String realmId, String userId) {
        run("resolve pending workspace grants of user " + userId, s -> resolveIn(s, realmId, userId));
    }

    /** Runs in the event's transaction when there is one, otherwise in a new one; logs instead of failing. */
    private void run(String what, Consumer<KeycloakSession> job) {
        try {
            if (session.getTransactionManager().isActive()) {
                WholeModel.run(session, () -> job.accept(session));
            } else {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> WholeModel.run(s, () -> job.accept(s)));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not %s", what);
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
