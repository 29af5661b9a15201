package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Serves {@link KeygateResource} under {@code /realms/{realm}/keygate}. */
public final class KeygateResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final WorkspaceLocks locks;
    private final ObjectMapper json;

    KeygateResourceProvider(KeycloakSession session, WorkspaceLocks locks, ObjectMapper json) {
        this.session = session;
        this.locks = locks;
        this.json = json;
    }

    @Override
    public Object getResource() {
        return new KeygateResource(session, locks, json);
    }

    @Override
    public void close() {
    }
}
