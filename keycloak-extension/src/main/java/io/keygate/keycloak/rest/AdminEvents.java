package io.keygate.keycloak.rest;

import org.keycloak.common.ClientConnection;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * Emits a Keycloak admin event for every change made through the keygate API, attributed to the
 * calling user and client, in the same transaction as the change (stored only when the realm
 * has admin events enabled; listeners always see it).
 */
public final class AdminEvents {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAuth auth;
    private final ClientConnection connection;

    public AdminEvents(KeycloakSession session, RealmModel realm, AdminAuth auth, ClientConnection connection) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.connection = connection;
    }

    public void emit(OperationType operation, ResourceType type, String path, Object representation) {
        new AdminEventBuilder(realm, auth, session, connection)
                .operation(operation)
                .resource(type)
                .resourcePath(path)
                .representation(representation)
                .success();
    }
}
