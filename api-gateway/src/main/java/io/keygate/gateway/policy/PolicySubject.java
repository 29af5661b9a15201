package io.keygate.gateway.policy;

import java.util.Collection;
import java.util.Set;

/** The facts about a caller that the policy engine decides on; all of them come from a verified token. */
public interface PolicySubject {

    /** The caller's role name in {@code workspace} ({@code Viewer}, {@code Editor}, {@code Admin}), or null. */
    String roleIn(String workspace);

    /** Every role the caller holds in any workspace (used for endpoints that name no workspace). */
    Collection<String> allWorkspaceRoles();

    /** The caller's role names in organization {@code org}, or null when not a member. */
    Set<String> orgRolesIn(String org);

    /** The API scopes carried by the token. */
    Set<String> scopes();

    /** True for a platform admin: bypasses workspace, organization and scope checks. */
    boolean platformAdmin();
}
