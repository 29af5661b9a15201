package io.keygate.keycloak.rest;

import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.membership.RoleResolver;
import org.keycloak.models.UserModel;

/**
 * The authenticated caller, re-read in the session that does the work: a live user and whether
 * they hold {@code platform-admin} now (not what their token said).
 */
public record Caller(UserModel user, String principal, boolean platformAdmin) {

    public static Caller of(UserModel user, RoleResolver resolver) {
        return new Caller(user, Principals.nameOf(user), resolver.isPlatformAdmin(user));
    }
}
