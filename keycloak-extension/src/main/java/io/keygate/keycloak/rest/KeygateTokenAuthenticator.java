package io.keygate.keycloak.rest;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * Authenticates a call to the keygate REST API. Security contract: the request carries a bearer
 * token that
 * <ol>
 *   <li>is a valid, active <em>access</em> token of this realm: signature, {@code iss}, expiry,
 *       {@code typ} Bearer, a live user session (or a service account) and an enabled user, all as
 *       checked by Keycloak's {@link AppAuthManager.BearerTokenAuthenticator}. ID tokens, refresh
 *       tokens and tokens of other realms are refused there; and</li>
 *   <li>was minted for keygate ({@link ApiTokenPolicy}): its {@code aud} holds one of the
 *       configured audiences (default {@code keygate-api}), or it is a service-account token of
 *       one of the configured clients (default {@code keygate-gateway}): {@code azp} is that
 *       client and the token's user is that client's service-account user.</li>
 * </ol>
 * Anything else is a {@link TokenRefused} (401). The second rule stops a confused deputy: another
 * application of the realm that receives a user's token (audience {@code account}, say) cannot
 * use it to change that user's workspaces (RFC 8725, section 3.9). Keycloak's own
 * {@code setAudience} takes a single audience and knows no service-account alternative, hence the
 * check on the verified token here.
 */
final class KeygateTokenAuthenticator {

    private final KeycloakSession session;
    private final ApiTokenPolicy policy;

    KeygateTokenAuthenticator(KeycloakSession session, ApiTokenPolicy policy) {
        this.session = session;
        this.policy = policy;
    }

    /** The verified caller; throws {@link TokenRefused} unless both rules of the contract hold. */
    AuthResult authenticate() {
        RealmModel realm = session.getContext().getRealm();
        AuthResult auth = verifiedAccessToken(realm);
        if (!hasAcceptedAudience(auth.token()) && !isAcceptedServiceAccount(realm, auth)) {
            throw TokenRefused.invalid(notMintedForKeygate(auth.token()));
        }
        return auth;
    }

    /** e.g. {@code token audience [account] (azp other-app) is not keygate-api, nor a service-account token of keygate-gateway}. */
    private String notMintedForKeygate(AccessToken token) {
        String audience = token.getAudience() == null ? "[]" : Arrays.toString(token.getAudience());
        String clients = policy.serviceAccountClients().isEmpty() ? "an accepted client"
                : String.join(" or ", new TreeSet<>(policy.serviceAccountClients()));
        return "token audience " + audience + " (azp " + token.getIssuedFor() + ") is not "
                + String.join(" or ", new TreeSet<>(policy.audiences())) + ", nor a service-account token of " + clients;
    }

    private AuthResult verifiedAccessToken(RealmModel realm) {
        HttpHeaders headers = session.getContext().getHttpRequest().getHttpHeaders();
        if (AppAuthManager.extractAuthorizationHeaderTokenOrReturnNull(headers) == null) {
            throw TokenRefused.missing(realm.getName());
        }
        AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (RuntimeException e) {
            auth = null;
        }
        if (auth == null || auth.user() == null || auth.token() == null) {
            throw TokenRefused.invalid("not an active access token of realm '" + realm.getName() + "'");
        }
        return auth;
    }

    private boolean hasAcceptedAudience(AccessToken token) {
        return token.hasAnyAudience(List.copyOf(policy.audiences()));
    }

    /** {@code azp} names an accepted client and the token's user is that very client's service account. */
    private boolean isAcceptedServiceAccount(RealmModel realm, AuthResult auth) {
        String azp = auth.token().getIssuedFor();
        if (azp == null || !policy.serviceAccountClients().contains(azp)) {
            return false;
        }
        ClientModel client = realm.getClientByClientId(azp);
        UserModel user = auth.user();
        return client != null && client.isServiceAccountsEnabled()
                && client.getId().equals(user.getServiceAccountClientLink());
    }
}
