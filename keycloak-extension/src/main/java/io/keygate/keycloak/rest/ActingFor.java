package io.keygate.keycloak.rest;

import io.keygate.core.ApiException;
import io.keygate.core.api.ExtensionApi;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.membership.RoleResolver;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Who a request's decisions are made for, once {@link KeygateTokenAuthenticator} has accepted its
 * token. Normally the token's user. Security contract: only a service account that holds the
 * platform-admin role now (the gateway, in its dev-header mode) may name another principal in
 * {@value ExtensionApi#ACT_AS_HEADER}; anyone else who sends it gets 403 rather than being
 * silently ignored, and an unknown principal is 404. The decisions then use that principal's live
 * roles; admin events still record the service account as the one who acted.
 */
final class ActingFor {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final RoleResolver resolver;

    ActingFor(KeycloakSession session, RealmModel realm, RoleResolver resolver) {
        this.session = session;
        this.realm = realm;
        this.resolver = resolver;
    }

    /**
     * The caller of a request authenticated as {@code tokenUser}.
     *
     * @param actAs the {@value ExtensionApi#ACT_AS_HEADER} header, or null
     */
    Caller caller(UserModel tokenUser, String actAs) {
        return Caller.of(user(tokenUser, actAs), resolver);
    }

    private UserModel user(UserModel tokenUser, String actAs) {
        if (actAs == null || actAs.isBlank()) {
            return tokenUser;
        }
        if (tokenUser.getServiceAccountClientLink() == null || !resolver.isPlatformAdmin(tokenUser)) {
            throw ApiException.forbidden("Only a platform-admin service account may act for another principal");
        }
        String principal = actAs.trim();
        return new Principals(session, realm).find(principal).orElseThrow(() ->
                ApiException.notFound("No user or service account named '" + principal + "' exists in realm '" + realm.getName() + "'"));
    }
}
