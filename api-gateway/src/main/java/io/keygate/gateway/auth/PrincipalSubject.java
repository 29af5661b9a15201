package io.keygate.gateway.auth;

import io.keygate.core.OrgRole;
import io.keygate.core.Role;
import io.keygate.gateway.policy.PolicySubject;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The policy engine's view of a {@link Principal}, with role names precomputed. */
final class PrincipalSubject implements PolicySubject {

    private final Principal principal;
    private final Set<String> allRoles;
    private final Map<String, Set<String>> orgRoles;

    PrincipalSubject(Principal principal) {
        this.principal = principal;
        Set<Role> held = EnumSet.noneOf(Role.class);
        held.addAll(principal.workspaceRoles().values());
        Set<String> names = new HashSet<>();
        held.forEach(r -> names.add(r.name()));
        this.allRoles = Set.copyOf(names);
        Map<String, Set<String>> orgs = new HashMap<>();
        principal.orgRoles().forEach((org, roles) -> {
            Set<String> roleNames = new HashSet<>();
            for (OrgRole role : roles) {
                roleNames.add(role.name());
            }
            orgs.put(org, Set.copyOf(roleNames));
        });
        this.orgRoles = Map.copyOf(orgs);
    }

    @Override
    public String roleIn(String workspace) {
        Role role = principal.workspaceRoles().get(workspace);
        return role == null ? null : role.name();
    }

    @Override
    public Collection<String> allWorkspaceRoles() {
        return allRoles;
    }

    @Override
    public Set<String> orgRolesIn(String org) {
        return orgRoles.get(org);
    }

    @Override
    public Set<String> scopes() {
        return principal.scopes();
    }

    @Override
    public boolean platformAdmin() {
        return principal.platformAdmin();
    }
}
