package io.keygate.keycloak.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Serves {@link KeygateResource} under {@code /realms/{realm}/keygate}. */
public final class KeygateResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final WorkspaceLocks locks;
    private final ObjectMapper json;
    private final ApiTokenPolicy tokenPolicy;

    KeygateResourceProvider(KeycloakSession session, WorkspaceLocks locks, ObjectMapper json, ApiTokenPolicy tokenPolicy) {
        this.session = session;
        this.locks = locks;
        this.json = json;
        this.tokenPolicy = tokenPolicy;
    }

    @Override
    public Object getResource() {
        return new KeygateResource(session, locks, json, new KeygateTokenAuthenticator(session, tokenPolicy));
    }

    @Override
    public void close() {
    }
}
