package io.keygate.keycloak.freshness.capture;

import io.keygate.core.events.SecurityEvents;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Outbox rows for what Keycloak reports only as user and admin events (the realm's
 * {@code keygate-events} listener passes them on): a logout (session-revoked with the session id),
 * an admin "sign out" of a user (all their sessions) and a user disabled by an admin update (all
 * their sessions). Keycloak calls listeners before the request's transaction commits, so the row
 * is written in it and is discarded if the request fails.
 */
public final class SessionEvents {

    private static final String USERS = "users/";
    private static final String LOGOUT_SUFFIX = "/logout";

    private final Outbox outbox;

    public SessionEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** User events: LOGOUT ends one session. */
    public void onEvent(KeycloakSession session, Event event) {
        if (event.getType() == EventType.LOGOUT && event.getUserId() != null) {
            outbox.sessionRevoked(session, event.getRealmId(), event.getUserId(), event.getSessionId(), SecurityEvents.REASON_LOGOUT);
        }
    }

    /** Admin events: {@code ACTION users/{id}/logout} and {@code UPDATE users/{id}} leaving the user disabled. */
    public void onEvent(KeycloakSession session, AdminEvent event) {
        String path = event.getResourcePath();
        if (event.getResourceType() != ResourceType.USER || path == null || !path.startsWith(USERS)) {
            return;
        }
        String rest = path.substring(USERS.length());
        if (event.getOperationType() == OperationType.ACTION && rest.endsWith(LOGOUT_SUFFIX)) {
            String userId = rest.substring(0, rest.length() - LOGOUT_SUFFIX.length());
            outbox.sessionRevoked(session, event.getRealmId(), userId, null, SecurityEvents.REASON_ADMIN_SIGN_OUT);
        } else if (event.getOperationType() == OperationType.UPDATE && !rest.contains("/")) {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            UserModel user = realm == null ? null : session.users().getUserById(realm, rest);
            if (user != null && !user.isEnabled()) {
                outbox.sessionRevoked(session, event.getRealmId(), rest, null, SecurityEvents.REASON_USER_DISABLED);
            }
        }
    }
}
