package io.keygate.core;

/**
 * Default token claim names written by the Keycloak mappers and read by the gateway. Both sides
 * let an operator rename them; these are the names used when nobody does.
 *
 * <pre>
 * "workspaces": {"default": "Editor", "ml-team": "Admin"}
 * "orgs": {"acme": {"name": "Acme Corp", "roles": ["TENANT_ADMIN"]}}
 * </pre>
 */
public final class ClaimNames {

    /** Map of workspace name to the caller's effective {@link Role}. */
    public static final String WORKSPACES = "workspaces";

    /** Map of organization alias to {@code {"name": ..., "roles": [...]}}. */
    public static final String ORGS = "orgs";

    /** NICo-style flat role list: {@code "<org>:<ROLE>"} strings. */
    public static final String NICO_ROLES = "roles";

    public static final String SUBJECT = "sub";
    public static final String EMAIL = "email";
    public static final String SCOPE = "scope";
    public static final String PREFERRED_USERNAME = "preferred_username";
    public static final String NAME = "name";

    /** OIDC distributed claims (Core 1.0, section 5.6.2), used when the workspace map is too large. */
    public static final String CLAIM_NAMES = "_claim_names";
    public static final String CLAIM_SOURCES = "_claim_sources";

    /** Above this many workspaces the mapper leaves the claim out and points at {@code me/workspaces}. */
    public static final int DEFAULT_OVERAGE_LIMIT = 200;

    private ClaimNames() {
    }
}
