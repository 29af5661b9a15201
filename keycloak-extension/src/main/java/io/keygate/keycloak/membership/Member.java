package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.core.api.MemberBody;
import io.keygate.keycloak.binding.BindingEntity;
import io.keygate.keycloak.workspace.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;

/** One row of a workspace's member list: a user, the wildcard {@code *}, or a pending grant to an email. */
public record Member(String principal, SortedSet<Role> roles, Grant grant, boolean pending) {

    /**
     * A principal's active binding rows combined: all their roles, and the first grant (when access
     * began). A principal without rows gets no roles and a grant of "now, nobody".
     */
    public static Member of(String principal, List<BindingEntity> rows, boolean pending) {
        Grant first = rows.stream()
                .min(Comparator.comparingLong(BindingEntity::getGrantedAt))
                .map(row -> new Grant(Instant.ofEpochMilli(row.getGrantedAt()), row.getGrantedBy()))
                .orElseGet(() -> new Grant(Instant.now(), ""));
        return new Member(principal, Memberships.rolesOf(rows), first, pending);
    }

    /** The wire shape {@code {principal, roles, granted_at, granted_by}}. */
    public MemberBody body() {
        List<String> names = new ArrayList<>();
        roles.forEach(role -> names.add(role.name()));
        return new MemberBody(principal, names, Timestamps.format(grant.grantedAt()), grant.grantedBy());
    }

    /** {@link #body()}, plus {@code pending: true} for a pending grant. */
    public Object toJson() {
        return pending ? body().pending() : body();
    }
}
