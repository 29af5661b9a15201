package io.keygate.core.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Keycloak extension's REST API as both sides speak it: where it lives
 * ({@code <keycloak>/realms/<realm>/keygate}), its route templates (the extension's JAX-RS
 * {@code @Path}s are these constants), the paths the gateway calls, and the header a
 * platform-admin service account names the principal it acts for with.
 *
 * <p>Security contract: {@link #ACT_AS_HEADER} is honoured by the extension only on a request
 * whose bearer token is a service-account token of a PlatformAdmin client; from anyone else it is
 * refused, never ignored silently.
 */
public final class ExtensionApi {

    /** The realm resource id: the extension's routes live under {@code /realms/<realm>/keygate}. */
    public static final String PROVIDER_ID = "keygate";

    /** Names the principal a platform-admin service account acts for (dev-header mode of the gateway). */
    public static final String ACT_AS_HEADER = "X-Keygate-Act-As";

    // Route templates relative to the realm resource, as JAX-RS writes them.
    public static final String WORKSPACES = "workspaces";
    public static final String WORKSPACE = "workspaces/{name}";
    public static final String DELETION_STAGE = "workspaces/{name}/deletion-stage";
    public static final String MEMBERS = "workspaces/{name}/members";
    public static final String MEMBER = "workspaces/{name}/members/{principal}";
    public static final String ROLE_BINDINGS = "role-bindings";
    public static final String ROLE_BINDING = "role-bindings/{name}";
    /** The caller's own effective roles; also the target of the overage distributed claim. */
    public static final String MY_WORKSPACES = "me/workspaces";
    /** Another principal's effective roles and platform-admin standing (PlatformAdmin only). */
    public static final String PRINCIPAL_WORKSPACES = "principals/{principal}/workspaces";

    private ExtensionApi() {
    }

    /**
     * The one place a realm URL is built: {@code <keycloak>/realms/<realm>}, trailing slashes of
     * {@code keycloakUrl} dropped. It is also the realm's token issuer ({@code iss}).
     */
    public static String realmUrl(String keycloakUrl, String realm) {
        return keycloakUrl.replaceAll("/+$", "") + "/realms/" + realm;
    }

    /** {@code <realmUrl>/keygate}: the base URL of the extension's API. */
    public static String baseUrl(String realmUrl) {
        return realmUrl + "/" + PROVIDER_ID;
    }

    /** {@code <realmUrl>/protocol/openid-connect/token}: the realm's OIDC token endpoint. */
    public static String tokenEndpoint(String realmUrl) {
        return realmUrl + "/protocol/openid-connect/token";
    }

    /** {@code <realmUrl>/keygate/me/workspaces}: where an overage token's workspace roles are read. */
    public static String myWorkspacesUrl(String realmUrl) {
        return baseUrl(realmUrl) + "/" + MY_WORKSPACES;
    }

    /** {@code /workspaces/<name>}, relative to {@link #baseUrl}. */
    public static String workspacePath(String workspace) {
        return "/" + WORKSPACES + "/" + segment(workspace);
    }

    /** {@code /workspaces/<name>/deletion-stage}. */
    public static String deletionStagePath(String workspace) {
        return workspacePath(workspace) + "/deletion-stage";
    }

    /** {@code /workspaces/<name>/members}. */
    public static String membersPath(String workspace) {
        return workspacePath(workspace) + "/members";
    }

    /** {@code /workspaces/<name>/members/<principal>}, the principal percent-encoded ({@code *}, emails). */
    public static String memberPath(String workspace, String principal) {
        return membersPath(workspace) + "/" + segment(principal);
    }

    /** {@code /role-bindings}. */
    public static String roleBindingsPath() {
        return "/" + ROLE_BINDINGS;
    }

    /** {@code /role-bindings/<name>}. */
    public static String roleBindingPath(String name) {
        return roleBindingsPath() + "/" + segment(name);
    }

    /** {@code /principals/<principal>/workspaces}. */
    public static String principalWorkspacesPath(String principal) {
        return "/principals/" + segment(principal) + "/workspaces";
    }

    /** One path segment, percent-encoded (principals such as {@code *} or emails). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
