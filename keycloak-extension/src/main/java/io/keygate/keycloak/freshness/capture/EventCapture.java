package io.keygate.keycloak.freshness.capture;

import io.keygate.core.events.SecurityEvents;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * Outbox rows for what Keycloak reports only as user and admin events (the realm's
 * {@code keygate-events} listener passes them on): a logout (session-revoked with the session id),
 * an admin "sign out" of a user (all their sessions), a user disabled by an admin update (all
 * their sessions), and composites added to or removed from a realm role (a claims-change for every
 * holder of that role, see {@link Fanout}: Keycloak fires no model event for composites). Keycloak
 * calls listeners before the request's transaction commits, so the row is written in it and is
 * discarded if the request fails.
 */
public final class EventCapture {

    private static final String USERS = "users/";
    private static final String LOGOUT_SUFFIX = "/logout";
    private static final String COMPOSITES_SUFFIX = "/composites";
    private static final String ROLES = "roles/";
    private static final String ROLES_BY_ID = "roles-by-id/";

    private final Outbox outbox;

    public EventCapture(Outbox outbox) {
        this.outbox = outbox;
    }

    /** True for the user events {@link #onEvent(KeycloakSession, Event)} records (so other events cost nothing). */
    public boolean captures(Event event) {
        return event.getType() == EventType.LOGOUT && event.getUserId() != null;
    }

    /** True for the admin events {@link #onEvent(KeycloakSession, AdminEvent)} may record. */
    public boolean captures(AdminEvent event) {
        String path = event.getResourcePath();
        return path != null && (event.getResourceType() == ResourceType.REALM_ROLE && path.endsWith(COMPOSITES_SUFFIX)
                || event.getResourceType() == ResourceType.USER && path.startsWith(USERS));
    }

    /** User events: LOGOUT ends one session. */
    public void onEvent(KeycloakSession session, Event event) {
        if (event.getType() == EventType.LOGOUT && event.getUserId() != null) {
            outbox.sessionRevoked(session, event.getRealmId(), event.getUserId(), event.getSessionId(), SecurityEvents.REASON_LOGOUT);
        }
    }

    /**
     * Admin events: {@code ACTION users/{id}/logout}, {@code UPDATE users/{id}} leaving the user
     * disabled, and {@code CREATE}/{@code DELETE} of {@code roles/{name}/composites} or
     * {@code roles-by-id/{id}/composites}.
     */
    public void onEvent(KeycloakSession session, AdminEvent event) {
        String path = event.getResourcePath();
        if (path == null) {
            return;
        }
        if (event.getResourceType() == ResourceType.REALM_ROLE && path.endsWith(COMPOSITES_SUFFIX)) {
            onComposites(session, event, path.substring(0, path.length() - COMPOSITES_SUFFIX.length()));
            return;
        }
        if (event.getResourceType() != ResourceType.USER || !path.startsWith(USERS)) {
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

    private void onComposites(KeycloakSession session, AdminEvent event, String rolePath) {
        OperationType operation = event.getOperationType();
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null || (operation != OperationType.CREATE && operation != OperationType.DELETE)) {
            return;
        }
        RoleModel role = null;
        if (rolePath.startsWith(ROLES_BY_ID)) {
            role = realm.getRoleById(rolePath.substring(ROLES_BY_ID.length()));
        } else if (rolePath.startsWith(ROLES)) {
            role = realm.getRole(URLDecoder.decode(rolePath.substring(ROLES.length()), StandardCharsets.UTF_8));
        }
        if (role != null) {
            new Fanout(outbox, session, realm).roleHolders(role);
        }
    }
}
