package io.keygate.core.api;

import java.util.List;

/**
 * One row of a workspace's member list: {@code {principal, roles, granted_at, granted_by}}; the
 * principal is a user's email or username, the wildcard {@code *}, or an email nobody has
 * registered with yet ({@link PendingMemberBody}).
 */
public record MemberBody(String principal, List<String> roles, String granted_at, String granted_by) {

    public MemberBody {
        roles = List.copyOf(roles);
    }

    /** The same row marked {@code pending: true}: a grant to an email that has no Keycloak user yet. */
    public PendingMemberBody pending() {
        return new PendingMemberBody(principal, roles, granted_at, granted_by, true);
    }

    /** A pending grant's row: the member shape plus {@code pending: true} (a member that is not pending has no such field). */
    public record PendingMemberBody(String principal, List<String> roles, String granted_at, String granted_by, boolean pending) {
    }
}
