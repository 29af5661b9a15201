package io.keygate.keycloak.binding;

/** Who a binding names: a Keycloak user (by id), an email without a user yet (pending grant), or the wildcard {@code *}. */
public enum PrincipalKind {
    USER,
    PENDING_EMAIL,
    WILDCARD
}
