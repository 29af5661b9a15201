package io.keygate.keycloak.membership;

import io.keygate.core.Role;
import io.keygate.keycloak.binding.BindingEntity;
import io.keygate.keycloak.workspace.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The wire shape {@code {principal, roles, granted_at, granted_by}} plus {@code pending: true} for pending grants. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("principal", principal);
        List<String> names = new ArrayList<>();
        roles.forEach(role -> names.add(role.name()));
        json.put("roles", names);
        json.put("granted_at", Timestamps.format(grant.grantedAt()));
        json.put("granted_by", grant.grantedBy());
        if (pending) {
            json.put("pending", true);
        }
        return json;
    }
}
