package io.keygate.keycloak.freshness.rest;

import io.keygate.core.ApiException;
import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * Who may use the transmitter: a bearer access token of this realm, issued by client credentials to
 * one of the configured receiver clients (its service account). No token or an invalid one is 401;
 * a valid token of any other client or user is 403.
 */
final class ReceiverAuth {

    private final KeycloakSession session;
    private final Set<String> receiverClients;

    ReceiverAuth(KeycloakSession session, Set<String> receiverClients) {
        this.session = session;
        this.receiverClients = receiverClients;
    }

    /** The receiver client, or an {@link ApiException} (401 / 403). */
    ClientModel authenticate() {
        AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (RuntimeException e) {
            auth = null;
        }
        if (auth == null || auth.user() == null || auth.client() == null) {
            throw new ApiException(401, "A valid bearer token of a receiver client of realm '"
                    + session.getContext().getRealm().getName() + "' is required");
        }
        ClientModel client = auth.client();
        UserModel user = auth.user();
        boolean serviceAccount = client.getId().equals(user.getServiceAccountClientLink());
        if (!serviceAccount || !receiverClients.contains(client.getClientId())) {
            throw ApiException.forbidden("Only the service account of a configured receiver client may use the transmitter");
        }
        return client;
    }
}
