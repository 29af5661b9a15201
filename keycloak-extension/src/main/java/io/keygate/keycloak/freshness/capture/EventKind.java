package io.keygate.keycloak.freshness.capture;

/** What an outbox row becomes: one of the three SET types of the freshness contract. */
public enum EventKind {
    /** CAEP token-claims-change for a user; subject = user id. */
    CLAIMS,
    /** CAEP session-revoked; subject = user id, optional session id. */
    SESSION,
    /** keygate workspace-change; subject = workspace name. */
    WORKSPACE
}
