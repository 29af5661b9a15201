package io.keygate.core;

/**
 * The Keycloak clients keygate consists of, and the audience its APIs accept. The realm
 * ({@code realm-config/keygate-realm.json}), the gateway's defaults and the extension's REST API
 * all name these; an operator may configure others on both sides.
 */
public final class KeygateClients {

    /**
     * Audience of tokens minted for keygate: the gateway and the extension's REST API accept a
     * user's token only when its {@code aud} holds this (or another configured) value. The realm's
     * client of this id is never issued tokens; audience mappers on the other clients name it.
     */
    public static final String API_AUDIENCE = "keygate-api";

    /**
     * The gateway's own confidential client. Its service account (a PlatformAdmin) stages and
     * finishes workspace cleanups and, in dev-header mode, acts for another principal.
     */
    public static final String GATEWAY_CLIENT = "keygate-gateway";

    /** Public client of the CLI and SDKs (device flow; direct grant in dev). */
    public static final String CLI_CLIENT = "keygate-cli";

    private KeygateClients() {
    }
}
