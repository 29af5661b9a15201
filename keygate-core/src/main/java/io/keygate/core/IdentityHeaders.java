package io.keygate.core;

import java.util.List;

/**
 * The one definition of the headers that tell a service behind keygate who is calling: set by the
 * gateway's upstream proxy (inference included) and answered by {@code /forward-auth} for nginx,
 * Traefik, Caddy and Envoy to copy onto the upstream request. These are the default names; a
 * gateway may rename them in its configuration ({@code forwardAuth.identityHeaders.*}).
 *
 * <p>Security contract: a service may trust these headers only because keygate (or the proxy that
 * asked keygate) sets them and drops every client-sent header with the same name or the
 * {@link #PREFIX}, and the dev-mode headers in {@link #DEV_HEADERS}.
 */
public final class IdentityHeaders {

    /** Every header with this prefix is the gateway's to set; a client's is dropped. */
    public static final String PREFIX = "X-Keygate-";
    /** The principal id: email, or subject for a caller without one (service accounts). */
    public static final String PRINCIPAL = "X-Keygate-Principal";
    public static final String EMAIL = "X-Keygate-Email";
    /** The workspace the policy decided on (empty when the endpoint names none). */
    public static final String WORKSPACE = "X-Keygate-Workspace";
    /** The caller's role there ({@code Viewer}, {@code Editor}, {@code Admin}, or {@code PlatformAdmin}). */
    public static final String ROLE = "X-Keygate-Role";
    /** The token's scopes, space separated. */
    public static final String SCOPES = "X-Keygate-Scopes";

    /** NeMo Platform's quickstart identity headers: a service might trust them, so they never travel on. */
    public static final List<String> DEV_HEADERS = List.of("X-NMP-Principal-Id", "X-NMP-Principal-Email", "X-NMP-Principal-Groups");

    private IdentityHeaders() {
    }
}
